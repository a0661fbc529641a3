"""The local stack, started as `make run` starts it, used over HTTP as a new user would."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import pytest
import requests
from requests.adapters import HTTPAdapter

from kabar_infra.local.router import wait_for
from kabar_infra.template import ROOT
from tests.support.local_stack import KABAR, aws, kabar, start_stack, stop_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    config = start_stack(tmp_path_factory.mktemp("kabar"))
    yield config
    stop_stack(config, timeout=20)


def test_make_run_loads_the_samples_and_writes_its_settings(local_stack: dict[str, Any]) -> None:
    for key in ("api_url", "cdn_url", "aws_endpoint_url", "resources", "editor", "moderator", "admin"):
        assert key in local_stack
    assert {"IncomingBucket", "SiteBucket", "ContentTable", "UserPool"} <= set(local_stack["resources"])
    latest = requests.get(f"{local_stack['cdn_url']}/v1/latest.json", timeout=10).json()
    samples = sorted((ROOT / "examples" / "articles").glob("*.md"))
    assert len(latest["articles"]) == len(samples)
    categories = {a["category"]["name"] for a in latest["articles"]}
    assert len(categories) >= 3


def test_the_seed_like_sample_is_tagged_with_its_main_entities(local_stack: dict[str, Any]) -> None:
    """examples/articles/02: fighting around Aleppo (ISIS, the Syrian army, Russian jets, Hezbollah)."""
    cdn = local_stack["cdn_url"]
    slug = "tentara-suriah-pukul-mundur-isis-di-pedesaan-aleppo"
    expected = {"isis", "suriah", "rusia", "hizbullah", "aleppo"}

    def tagged() -> bool:
        doc = requests.get(f"{cdn}/v1/articles/{slug}.json", timeout=10).json()
        return expected <= {tag["slug"] for tag in doc["tags"]}

    wait_for(tagged, timeout=15)
    for tag in expected:
        page = requests.get(f"{cdn}/v1/tags/{tag}.json", timeout=10).json()
        assert slug in [a["slug"] for a in page["articles"]], tag


def test_upload_with_the_cli_then_read_it_from_the_cdn(local_stack: dict[str, Any]) -> None:
    result = kabar(local_stack, "upload", "examples/try/gempa-garut.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("published gempa-garut.md: ")
    url = result.stdout.split(": ", 1)[1].strip()
    slug = "gempa-magnitudo-5-1-guncang-garut-warga-sempat-panik"
    assert url == f"{local_stack['cdn_url']}/v1/articles/{slug}.json"

    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "max-age" in response.headers["Cache-Control"]
    doc = response.json()
    assert doc["title"] == "Gempa Magnitudo 5,1 Guncang Garut, Warga Sempat Panik"
    assert doc["subtitle"] == "BMKG Pastikan Tidak Berpotensi Tsunami"
    assert doc["lead"].startswith("Gempa terasa hingga Bandung")
    assert doc["category"]["name"] == "Nasional"
    assert doc["dateline"]["place"] == "GARUT"
    assert doc["author"] == "Tim Redaksi"
    assert doc["editors"] == ["RM"]
    assert [t["name"] for t in doc["tags"]][:3] == ["Gempa", "Garut", "BMKG"]  # the editor's first
    # Tag pages follow one stream hop after the article (TaggingFunction, then RenderFunction).
    tag_url = f"{local_stack['cdn_url']}/v1/tags/garut.json"

    def garut_lists_it() -> bool:
        response = requests.get(tag_url, timeout=10)
        return response.status_code == 200 and slug in [a["slug"] for a in response.json()["articles"]]

    wait_for(garut_lists_it, timeout=15)
    # By then the article lists what TaggingFunction suggested from its text, after the editor's.
    settled = requests.get(url, timeout=10)
    tags = [t["name"] for t in settled.json()["tags"]]
    assert tags[:3] == ["Gempa", "Garut", "BMKG"] and "Bandung" in tags
    etag = settled.headers["ETag"]
    assert requests.get(url, headers={"If-None-Match": etag}, timeout=10).status_code == 304
    assert doc["body_html"].startswith("<p>Gempa bermagnitudo 5,1")

    latest = requests.get(f"{local_stack['cdn_url']}/v1/latest.json", timeout=10).json()
    assert slug in [a["slug"] for a in latest["articles"]]
    wib = datetime.fromisoformat(doc["published_at"].replace("Z", "+00:00")).astimezone(
        timezone(timedelta(hours=7))
    )
    canonical = f"{local_stack['cdn_url']}/{wib:%Y/%m/%d}/{slug}/"  # the default pattern, on WIB's date
    assert doc["url"] == canonical and doc["structured_data"]["@graph"][0]["url"] == canonical
    for path in ("v1/feed.xml", "v1/tags/garut/feed.xml"):  # written with the lists, after their pages

        def feed_lists_it(path: str = path) -> bool:
            feed = requests.get(f"{local_stack['cdn_url']}/{path}", timeout=10)
            if feed.status_code != 200:
                return False
            assert feed.headers["Content-Type"].startswith("application/rss+xml"), path
            parsed = feedparser.parse(feed.content)
            return not parsed.bozo and canonical in [entry.link for entry in parsed.entries]

        wait_for(feed_lists_it, timeout=15)
    as_json = requests.get(f"{local_stack['cdn_url']}/v1/feed.json", timeout=10)
    assert as_json.headers["Content-Type"].startswith("application/feed+json")
    assert canonical in [item["url"] for item in as_json.json()["items"]]
    missing = requests.get(f"{local_stack['cdn_url']}/v1/articles/tidak-ada.json", timeout=10)
    assert missing.status_code == 404 and missing.json()["kind"] == "error"
    root = requests.get(f"{local_stack['cdn_url']}/", timeout=10)
    assert root.status_code == 200 and root.json()["kind"] == "site"


def test_a_rejected_upload_names_title_and_keeps_the_original(local_stack: dict[str, Any]) -> None:
    result = kabar(local_stack, "--json", "upload", "--no-wait", "examples/rejected/tanpa-judul.md")
    assert result.returncode == 0, result.stderr
    ticket = json.loads(result.stdout)
    assert ticket["filename"] == "tanpa-judul.md"
    upload_id = ticket["upload_id"]
    deadline = time.monotonic() + 30
    while True:
        status = kabar(local_stack, "status", upload_id)
        if status.stdout.startswith("rejected") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status.returncode == 1, status.stdout + status.stderr
    assert "rejected tanpa-judul.md:" in status.stdout
    assert "- title: is required" in status.stdout
    assert "- status:" in status.stdout and "- published_at:" in status.stdout
    s3 = aws(local_stack, "s3")
    bucket = local_stack["resources"]["IncomingBucket"]
    original = s3.get_object(Bucket=bucket, Key=f"uploads/{upload_id}/tanpa-judul.md")["Body"].read()
    assert original == (ROOT / "examples" / "rejected" / "tanpa-judul.md").read_bytes()


def test_the_vocabulary_is_loaded_with_the_cli_and_aliases_list_under_their_tag(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    listing = kabar(local_stack, "tags", "list")
    assert listing.returncode == 0, listing.stderr
    assert "lebanon" in listing.stdout and "Libanon" in listing.stdout  # make run loaded the examples
    vocabulary = tmp_path / "tambahan.yaml"
    vocabulary.write_text("- name: Gaza\n  aliases: [Jalur Gaza]\n")
    loaded = kabar(local_stack, "tags", "load", str(vocabulary))
    assert loaded.returncode == 0 and loaded.stdout.strip() == "stored 1 tags"
    article = tmp_path / "gaza.md"
    article.write_text(
        "---\ntitle: Bantuan Masuk ke Jalur Gaza\ntags: [Jalur Gaza]\n---\nTruk bantuan tiba.\n"
    )
    assert kabar(local_stack, "upload", str(article)).returncode == 0
    tag_url = f"{local_stack['cdn_url']}/v1/tags/gaza.json"

    def gaza_lists_it() -> bool:
        response = requests.get(tag_url, timeout=10)
        return response.status_code == 200 and [a["slug"] for a in response.json()["articles"]] == [
            "bantuan-masuk-ke-jalur-gaza"
        ]

    wait_for(gaza_lists_it, timeout=15)
    assert requests.get(f"{local_stack['cdn_url']}/v1/tags/jalur-gaza.json", timeout=10).status_code == 404

    # A merge: "Palestina" (suggested, or typed by an editor) goes into Gaza.
    other = tmp_path / "palestina.md"
    other.write_text("---\ntitle: Warga Palestina Bertahan\ntags: [Palestina]\n---\nWarga bertahan.\n")
    assert kabar(local_stack, "upload", str(other)).returncode == 0
    merged = kabar(local_stack, "tags", "merge", "palestina", "gaza")
    assert merged.returncode == 0, merged.stderr
    pointer_url = f"{local_stack['cdn_url']}/v1/tags/palestina.json"

    def palestina_points_to_gaza() -> bool:
        response = requests.get(pointer_url, timeout=10)
        return response.status_code == 200 and response.json().get("kind") == "tag_merged"

    wait_for(palestina_points_to_gaza, timeout=15)

    # The pointer and the moved articles are rendered by different records: wait for both.
    def gaza_lists_both() -> bool:
        articles = requests.get(tag_url, timeout=10).json()["articles"]
        return {a["slug"] for a in articles} == {"bantuan-masuk-ke-jalur-gaza", "warga-palestina-bertahan"}

    wait_for(gaza_lists_both, timeout=15)


def test_an_alias_an_article_defines_is_offered_and_accepted_with_the_cli(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    article = tmp_path / "kpk.md"
    article.write_text(
        "---\ntitle: KPK Periksa Kepala Dinas\n---\nKomisi Pemberantasan Korupsi (KPK) memeriksa kepala "
        "dinas pada Senin. Penyidik KPK menyita dokumen.\n"
    )
    assert kabar(local_stack, "upload", str(article)).returncode == 0

    def offered() -> bool:
        listing = kabar(local_stack, "tags", "aliases")
        return listing.returncode == 0 and "Komisi Pemberantasan Korupsi" in listing.stdout

    wait_for(offered, timeout=15)
    accepted = kabar(local_stack, "tags", "aliases", "--accept", "kpk", "Komisi Pemberantasan Korupsi")
    assert accepted.returncode == 0 and accepted.stdout.startswith("accepted: "), (
        accepted.stdout + accepted.stderr
    )
    assert "Komisi Pemberantasan Korupsi" not in kabar(local_stack, "tags", "aliases").stdout
    listing = kabar(local_stack, "tags", "list")
    assert "kpk" in listing.stdout and "Komisi Pemberantasan Korupsi" in listing.stdout


def test_the_api_refuses_missing_tokens_and_non_editors(local_stack: dict[str, Any]) -> None:
    api = local_stack["api_url"]
    assert requests.post(f"{api}/uploads", json={"filename": "a.md"}, timeout=10).status_code == 401
    bad = requests.post(
        f"{api}/uploads", json={"filename": "a.md"}, headers={"Authorization": "x.y.z"}, timeout=10
    )
    assert bad.status_code == 401
    cognito = aws(local_stack, "cognito-idp")
    pool, client_id = local_stack["editor"]["user_pool_id"], local_stack["editor"]["client_id"]
    cognito.admin_create_user(UserPoolId=pool, Username="reader", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="reader", Password="Reader-Pass-1234", Permanent=True
    )
    token = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "reader", "PASSWORD": "Reader-Pass-1234"},
    )["AuthenticationResult"]["IdToken"]  # fmt: skip
    forbidden = requests.post(
        f"{api}/uploads", json={"filename": "a.md"}, headers={"Authorization": token}, timeout=10
    )
    assert forbidden.status_code == 403
    assert "editors" in forbidden.json()["message"]


def test_a_bad_upload_request_gets_a_400_naming_the_field(local_stack: dict[str, Any]) -> None:
    from kabar_infra.cli.client import Credentials

    editor = local_stack["editor"]
    token = Credentials(editor["client_id"], editor["username"], editor["password"], local_stack["region"],
                        local_stack["aws_endpoint_url"]).id_token()  # fmt: skip
    api, headers = local_stack["api_url"], {"Authorization": token}
    response = requests.post(f"{api}/uploads", json={"filename": "foto.exe"}, headers=headers, timeout=10)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "filename",
            "message": "must end in .md, .markdown or .json (an article), "
            "or .jpg, .jpeg, .png or .webp (an image)",
        }
    ]
    as_json = {**headers, "Content-Type": "application/json"}
    response = requests.post(f"{api}/uploads", data="{not json", headers=as_json, timeout=10)
    assert response.status_code == 400 and "JSON" in response.json()["message"]
    assert response.json()["errors"][0]["message"].endswith("at line 1 column 2")
    response = requests.post(f"{api}/uploads", data='{"filename": "a.md"}', headers=headers, timeout=10)
    assert response.status_code == 415 and "application/json" in response.json()["message"]
    response = requests.get(f"{api}/uploads/{'0' * 32}", headers=headers, timeout=10)
    assert response.status_code == 404


def test_related_articles_over_http_both_directions(local_stack: dict[str, Any]) -> None:
    """Three articles on a flood and one on football; later flood news joins the older lists."""
    cdn = local_stack["cdn_url"]
    story = sorted((ROOT / "examples" / "related").glob("0[1-3]*.md"))
    result = kabar(local_stack, "upload", *map(str, story), "examples/related/04-timnas-kalahkan-vietnam.md")
    assert result.returncode == 0, result.stdout + result.stderr
    urls = [
        line.split(": ", 1)[1].strip() for line in result.stdout.splitlines() if line.startswith("published")
    ]
    flood, football = [url.rsplit("/", 1)[1].removesuffix(".json") for url in urls[:3]], urls[3]
    football_slug = football.rsplit("/", 1)[1].removesuffix(".json")

    def related(slug: str) -> set[str]:
        response = requests.get(f"{cdn}/v1/articles/{slug}.json", timeout=10)
        return {link["slug"] for link in response.json()["related"]} if response.status_code == 200 else set()

    # Each flood story lists the other two (and may fill its list with weaker matches of the sample
    # content), never the football one.
    wait_for(lambda: all(related(slug) >= set(flood) - {slug} for slug in flood), timeout=20)
    assert football_slug not in set().union(*map(related, flood))

    result = kabar(local_stack, "upload", "examples/related/05-banjir-kiriman-later.md")
    assert result.returncode == 0, result.stdout + result.stderr
    later = result.stdout.split(": ", 1)[1].strip().rsplit("/", 1)[1].removesuffix(".json")

    # RelatedFunction offers the new article to the older lists, then writes its own list last.
    def joined_both_ways() -> bool:
        return all(later in related(slug) for slug in flood) and set(flood) <= related(later)

    wait_for(joined_both_ways, timeout=20)
    document = requests.get(f"{cdn}/v1/articles/{later}.json", timeout=10).json()
    # Three paragraphs, two gaps: the two best related articles, one after each of the first two.
    links = [(link["origin"], link["after_paragraph"]) for link in document["read_also"]]
    assert links == [("related", 1), ("related", 2)]


class _FromAddress(HTTPAdapter):
    """Connects from a given loopback address: another reader on another network."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def reader(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


def test_comments_from_intake_to_moderation_to_the_cdn(local_stack: dict[str, Any]) -> None:
    api, cdn = local_stack["api_url"], local_stack["cdn_url"]
    slug = "ribuan-pengungsi-kembali-ke-homs-setelah-jalur-dibuka"
    url = f"{api}/articles/{slug}/comments"
    ani = {
        "name": "Ani Lestari",
        "email": "ani.lestari@example.id",
        "content": "Semoga selamat sampai rumah.",
    }
    ani_ip = "127.0.1.10"
    first = reader(ani_ip).post(url, json=ani, timeout=10)
    answered = time.monotonic()  # the comment's time is before this (the handler may start cold)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "awaiting moderation" and first.json()["message"]
    assert reader(ani_ip).post(url, json=ani, timeout=10).status_code == 409
    again = reader(ani_ip).post(url, json={**ani, "content": "Satu lagi."},
                                headers={"Origin": "https://pembaca.example"}, timeout=10)  # fmt: skip
    assert again.status_code == 429 and 1 <= int(again.headers["Retry-After"]) <= 15  # the rest of 15 s
    # A page on another site may read the answer, Retry-After included (CORS).
    assert again.headers["Access-Control-Allow-Origin"] in ("*", "https://pembaca.example")
    assert "Retry-After" in again.headers["Access-Control-Expose-Headers"]
    # Another reader behind the same address (a mobile carrier's), seconds later: taken too.
    neighbour = {"name": "Tetangga", "email": "tetangga@example.id", "content": "Dari jaringan yang sama."}
    assert reader("127.0.1.11").post(url, json=neighbour, timeout=10).status_code == 201

    links = {"name": "Budi", "email": "budi@example.id",
             "content": "Baca https://satu.example.id dan https://dua.example.id"}  # fmt: skip
    assert reader("127.0.2.10").post(url, json=links, timeout=10).json()["status"] == "awaiting moderation"
    trap = {"name": "Promo", "email": "promo@example.id", "content": "Penawaran umpan-madu-7731.",
            "honeypot": "diisi robot"}  # fmt: skip
    caught = reader("127.0.3.10").post(url, json=trap, timeout=10)
    assert caught.status_code == 201 and caught.json()["status"] == "awaiting moderation"  # it cannot tell
    script = {"name": "Citra", "email": "citra@example.id",
              "content": "<script>alert('xss')</script>Laporan yang bagus."}  # fmt: skip
    script_id = reader("127.0.4.10").post(url, json=script, timeout=10).json()["id"]

    bad = reader("127.0.5.10")
    answer = bad.post(url, data=b"{bukan json", headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 400 and "JSON" in answer.json()["message"]
    plain = json.dumps({**ani, "email": "eka@example.id"}).encode()  # a page's form, no CORS preflight
    answer = bad.post(url, data=plain, headers={"Content-Type": "text/plain;charset=UTF-8"}, timeout=10)
    assert answer.status_code == 415 and "application/json" in answer.json()["message"]
    answer = bad.post(url, json={"website": "ftp://x"}, timeout=10)
    assert answer.status_code == 400
    assert {e["field"] for e in answer.json()["errors"]} == {"name", "email", "content", "website"}
    answer = bad.post(url, json={**ani, "email": "dewi@example.id", "content": "x" * 6000}, timeout=10)
    assert answer.status_code == 413 and answer.json()["errors"][0]["field"] == "content"

    # A browser on another site asks before it posts JSON.
    asking = {"Origin": "https://pembaca.example", "Access-Control-Request-Method": "POST"}
    preflight = requests.options(url, headers=asking, timeout=10)
    assert preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", "https://pembaca.example")

    # The local moderator (its sign-in is in local.json) works the queue with the CLI.
    assert local_stack["moderator"]["username"] == "moderator"
    queue = json.loads(kabar(local_stack, "--json", "comments", "pending").stdout)
    reasons = {c["name"]: c["reasons"] for c in queue["comments"]}
    assert reasons["Ani Lestari"] == ["first-time commenter"] and reasons["Budi"] == ["2 links"]
    assert "Promo" not in reasons and reasons["Tetangga"] == ["first-time commenter"]
    spam = json.loads(kabar(local_stack, "--json", "comments", "pending", "--status", "spam").stdout)
    assert [c["reasons"] for c in spam["comments"]] == [["honeypot filled"]]
    done = kabar(local_stack, "comments", "approve", first.json()["id"], script_id)
    assert done.returncode == 0, done.stderr
    assert kabar(local_stack, "comments", "approve", script_id).stdout.strip().endswith("(already)")

    def public() -> dict[str, Any] | None:
        page = requests.get(f"{cdn}/v1/articles/{slug}/comments.json", timeout=10)
        return page.json() if page.status_code == 200 and page.json()["count"] >= 2 else None

    page = wait_for(public, timeout=20)
    assert page, "the approved comments did not reach the CDN"
    by_name = {c["name"]: c for c in page["comments"]}
    assert "Semoga selamat sampai rumah." in by_name["Ani Lestari"]["content_html"]
    assert (
        "<script" not in by_name["Citra"]["content_html"]
        and "Laporan yang bagus." in by_name["Citra"]["content_html"]
    )
    article = requests.get(f"{cdn}/v1/articles/{slug}.json", timeout=10).json()
    assert article["comments"]["count"] == 2

    # Once approved, Ani's next comment (after the 15 s flood window) is published at once.
    time.sleep(max(0.0, answered + 15.2 - time.monotonic()))
    later = reader(ani_ip).post(url, json={**ani, "content": "Terima kasih, redaksi."}, timeout=10)
    assert later.status_code == 201 and later.json()["status"] == "published"
    assert wait_for(lambda: (public() or {}).get("count") == 3, timeout=20)

    # No document anywhere on the site holds a submitted email or IP, the trap's text or a script.
    s3 = aws(local_stack, "s3")
    bucket = local_stack["resources"]["SiteBucket"]
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])]  # fmt: skip
    assert any(key.endswith("/comments.json") for key in keys)
    emails = ["ani.lestari", "budi", "promo", "citra", "tetangga", "dewi"]
    addresses = ["127.0.1.10", "127.0.1.11", "127.0.2.10", "127.0.3.10", "127.0.4.10", "127.0.5.10"]
    secrets = [f"{name}@example.id" for name in emails] + addresses + ["umpan-madu-7731", "<script"]
    for key in keys:
        text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8", "replace").lower()
        assert not [secret for secret in secrets if secret in text], key


def test_a_busy_network_waits_and_a_learned_gambling_name_holds_the_next_comment(
    local_stack: dict[str, Any],
) -> None:
    """Issue 13 over HTTP: one address's seventh comment in a minute gets 429 with Retry-After; a
    moderator marks a promotion spam and the next comment naming its site, from another address,
    is held with that reason."""
    slug = "ribuan-pengungsi-kembali-ke-homs-setelah-jalur-dibuka"
    url = f"{local_stack['api_url']}/articles/{slug}/comments"
    for n in range(6):
        body = {"name": f"Pembaca {n}", "email": f"ramai{n}@example.id", "content": f"Komentar ramai {n}."}
        answer = reader(f"127.0.9.{n + 1}").post(url, json=body, timeout=10)
        assert answer.status_code == 201, answer.text
    seventh = reader("127.0.9.7").post(url, json={"name": "Tujuh", "email": "tujuh@example.id",
                                                  "content": "Yang ketujuh."}, timeout=10)  # fmt: skip
    assert seventh.status_code == 429 and 1 <= int(seventh.headers["Retry-After"]) <= 60, seventh.text

    bold = "".join(
        chr(0x1D400 + ord(c) - 65) if c.isalpha() else chr(0x1D7CE + ord(c) - 48) for c in "DEWADORA88"
    )
    promo = {
        "name": "Rina",
        "email": "rina.promo@example.id",
        "content": f"Kontennya keren! Main di {bold} yuk",
    }
    taken = reader("127.0.10.1").post(url, json=promo, timeout=10).json()
    marked = json.loads(kabar(local_stack, "--json", "comments", "spam", taken["id"]).stdout)
    assert marked["learned"] == ["dewadora88"]
    listed = json.loads(kabar(local_stack, "--json", "comments", "names").stdout)
    assert [row["name"] for row in listed] == ["dewadora88"]
    later = {"name": "Budi", "email": "budi.lain@example.id", "content": "Coba main di dewadora 88, gampang"}
    held = reader("127.0.11.1").post(url, json=later, timeout=10).json()
    assert held["status"] == "awaiting moderation"
    queue = json.loads(kabar(local_stack, "--json", "comments", "pending", "--limit", "100").stdout)
    reasons = {c["id"]: c["reasons"] for c in queue["comments"]}
    assert "learned spam name: dewadora88" in reasons[held["id"]]
    lines = Path(local_stack["_config_path"]).parent / "past.jsonl"
    lines.write_text(
        json.dumps({"id": 1, "name": "x", "content": "wd lancar di dewadora88"}) + "\n", encoding="utf-8"
    )
    classified = kabar(local_stack, "comments", "classify", str(lines), "--stack-names")
    assert json.loads(classified.stdout)["reasons"][-1] == "learned spam name: dewadora88", classified.stderr
    forgotten = kabar(local_stack, "comments", "names", "--remove", "dewadora88")
    assert forgotten.stdout.strip() == "dewadora88: removed", forgotten.stderr


def test_the_local_admin_the_cli_from_another_directory_and_a_key_rotation(
    local_stack: dict[str, Any],
) -> None:
    from kabar_infra.cli.auth import Prompter
    from kabar_infra.cli.client import Credentials

    admin = local_stack["admin"]
    credentials = Credentials(admin["client_id"], admin["username"], admin["password"],
                              local_stack["region"], local_stack["aws_endpoint_url"])  # fmt: skip
    token = credentials.id_token(
        Prompter(interactive=False)
    )  # a password alone: the local pool's MFA is optional
    part = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    assert claims["cognito:groups"] == ["admins"]
    # No --config: the settings are found (here through KABAR_STATE_DIR, as make run's live elsewhere).
    env = {**os.environ, "KABAR_STATE_DIR": str(local_stack["_state"])}
    env.pop("KABAR_CONFIG", None)
    listed = subprocess.run([str(KABAR), "tags", "list"], capture_output=True, text=True, timeout=60,
                            cwd=ROOT / "examples", env=env, check=False)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rotated = kabar(local_stack, "ops", "rotate-comment-key")
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.startswith("comment key rotated: k2 is current; k1 is still tried until ")


def test_search_engines_and_readers_find_a_new_article_and_lose_it_when_unpublished(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    """robots.txt, the sitemap index, the sitemaps, the news sitemap, the feeds and the category's
    document, over HTTP from the local CDN, as a publish and an unpublish leave them."""
    from tests.support.sitemaps import index_sitemaps, news_entries, sitemap_urls

    cdn = local_stack["cdn_url"]
    now = datetime.now(UTC).replace(microsecond=0)
    files = {
        "segar.md": ("Harga Cabai Turun di Pasar Induk", now - timedelta(hours=1)),
        "lama.md": ("Arsip Banjir Tiga Hari Lalu", now - timedelta(days=3)),
    }
    for name, (title, moment) in files.items():
        front = (
            f"---\ntitle: {title}\ncategory: Ekonomi Daerah\npublished_at: {moment.isoformat()}\n---\nIsi.\n"
        )
        (tmp_path / name).write_text(front, encoding="utf-8")
        result = kabar(local_stack, "upload", str(tmp_path / name))
        assert result.returncode == 0, result.stdout + result.stderr
    fresh, old = "harga-cabai-turun-di-pasar-induk", "arsip-banjir-tiga-hari-lalu"
    urls = {
        slug: requests.get(f"{cdn}/v1/articles/{slug}.json", timeout=10).json()["url"]
        for slug in (fresh, old)
    }

    def get(path: str, kind: str) -> bytes:
        response = requests.get(f"{cdn}/{path}", timeout=10)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == kind, path
        return response.content

    def in_sitemaps() -> set[str]:
        index = index_sitemaps(get("sitemap.xml", "application/xml; charset=utf-8"))
        found: set[str] = set()
        for loc in index:
            found |= set(sitemap_urls(get(loc.removeprefix(f"{cdn}/"), "application/xml; charset=utf-8")))
        return found

    def listed_everywhere() -> bool:
        news = news_entries(get("news-sitemap.xml", "application/xml; charset=utf-8"))
        category = requests.get(f"{cdn}/v1/categories/ekonomi-daerah.json", timeout=10)
        feed = feedparser.parse(
            get("v1/categories/ekonomi-daerah/feed.xml", "application/rss+xml; charset=utf-8")
        )
        return (
            news.get(urls[fresh]) is not None and urls[old] not in news
            and {urls[fresh], urls[old]} <= in_sitemaps()
            and category.status_code == 200
            and [a["slug"] for a in category.json()["articles"]] == [fresh, old]
            and [e.link for e in feed.entries] == [urls[fresh], urls[old]]
        )  # fmt: skip

    wait_for(listed_everywhere, timeout=20)
    robots = get("robots.txt", "text/plain; charset=utf-8").decode()
    assert f"Sitemap: {cdn}/sitemap.xml" in robots and f"Sitemap: {cdn}/news-sitemap.xml" in robots
    assert urls[fresh] in [
        e.link for e in feedparser.parse(get("v1/feed.xml", "application/rss+xml; charset=utf-8")).entries
    ]
    get("v1/categories.json", "application/json; charset=utf-8")

    unpublish = tmp_path / "segar-draf.md"
    unpublish.write_text(
        f"---\ntitle: {files['segar.md'][0]}\nslug: {fresh}\nstatus: draft\n---\nIsi.\n", encoding="utf-8"
    )
    assert kabar(local_stack, "upload", str(unpublish)).returncode == 0

    def gone_everywhere() -> bool:
        news = news_entries(get("news-sitemap.xml", "application/xml; charset=utf-8"))
        feeds = [
            get(p, "application/rss+xml; charset=utf-8")
            for p in ("v1/feed.xml", "v1/categories/ekonomi-daerah/feed.xml")
        ]
        category = requests.get(f"{cdn}/v1/categories/ekonomi-daerah.json", timeout=10).json()
        return (
            urls[fresh] not in news and urls[fresh] not in in_sitemaps()
            and all(urls[fresh] not in [e.link for e in feedparser.parse(f).entries] for f in feeds)
            and [a["slug"] for a in category["articles"]] == [old]
        )  # fmt: skip

    wait_for(gone_everywhere, timeout=20)


def test_an_editor_sets_an_authors_profile_with_the_cli_and_their_page_shows_it(
    local_stack: dict[str, Any],
) -> None:
    author_url = f"{local_stack['cdn_url']}/v1/authors/tim-redaksi.json"
    before = requests.get(author_url, timeout=10)  # the samples' byline
    assert before.status_code == 200 and before.json()["count"] >= 1 and before.json()["profile"] is None
    stored = kabar(local_stack, "authors", "set", "tim-redaksi", "--name", "Tim Redaksi Kabar",
                   "--bio", "Liputan bersama seluruh wartawan.")  # fmt: skip
    assert stored.returncode == 0, stored.stderr

    def shown() -> bool:
        found = requests.get(author_url, timeout=10)
        return found.status_code == 200 and (found.json()["profile"] or {}).get("name") == "Tim Redaksi Kabar"

    wait_for(shown, timeout=15)
    page = requests.get(author_url, timeout=10)
    assert (
        page.headers["Content-Type"].startswith("application/json")
        and page.json()["name"] == "Tim Redaksi Kabar"
    )
    feed = requests.get(f"{local_stack['cdn_url']}/v1/authors/tim-redaksi/feed.xml", timeout=10)
    assert feed.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert len(feedparser.parse(feed.content).entries) == page.json()["count"]
    shown_profile = kabar(local_stack, "authors", "show", "tim-redaksi")
    assert shown_profile.returncode == 0 and "bio: Liputan bersama seluruh wartawan." in shown_profile.stdout
    bad = kabar(local_stack, "authors", "set", "tim-redaksi", "--name", "Tim", "--url", "http://x.example")
    assert bad.returncode == 2 and "url: " in bad.stderr and "https://" in bad.stderr


def test_scheduled_articles_go_public_at_their_time_and_not_before(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    """An editor schedules three articles for a few seconds ahead, then moves one to an hour later
    and makes one a draft: at the time only the first appears, in its document, the latest list,
    its tag's page and the feeds, through the stack's own schedules on moto."""
    cdn, wib = local_stack["cdn_url"], timezone(timedelta(hours=7))
    due = (datetime.now(UTC) + timedelta(seconds=20)).replace(microsecond=0)

    def upload(name: str, when: datetime, **extra: str) -> subprocess.CompletedProcess[str]:
        fields = "".join(f"{key}: {value}\n" for key, value in extra.items())
        path = tmp_path / f"{name}.md"
        front = (f"title: {name.replace('-', ' ').title()}\nslug: {name}\ntags: [Jadwal Terbit]\n"
                 f"published_at: {when.astimezone(wib).isoformat()}\n{fields}")  # fmt: skip
        path.write_text(f"---\n{front}---\nIsi berita terjadwal.\n")
        return kabar(local_stack, "upload", str(path))

    first = upload("rilis-pagi", due)
    assert first.returncode == 0 and first.stdout.startswith(
        "scheduled rilis-pagi.md: rilis-pagi goes public at"
    )
    assert upload("rilis-diundur", due).returncode == 0 and upload("rilis-batal", due).returncode == 0
    assert upload("rilis-diundur", due + timedelta(hours=1)).returncode == 0
    drafted = upload("rilis-batal", due, status="draft")
    assert drafted.returncode == 0 and "draft rilis-batal" in drafted.stdout
    listed = kabar(local_stack, "scheduled")
    assert listed.returncode == 0 and "rilis-pagi v1  scheduled" in listed.stdout and "WIB" in listed.stdout
    assert "rilis-diundur v2" in listed.stdout and "rilis-batal" not in listed.stdout

    def public() -> set[str]:
        places = {"v1/latest.json", "v1/tags/jadwal-terbit.json", "v1/feed.xml", "v1/feed.json"}
        slugs = ("rilis-pagi", "rilis-diundur", "rilis-batal")
        found = {slug for slug in slugs if requests.get(f"{cdn}/v1/articles/{slug}.json", timeout=10).ok}
        for place in places:
            text = requests.get(f"{cdn}/{place}", timeout=10).text
            found |= {
                f"{slug} in {place}"
                for slug in ("rilis-pagi", "rilis-diundur", "rilis-batal")
                if slug in text
            }
        return found

    assert datetime.now(UTC) < due and public() == set()
    wait_for(lambda: datetime.now(UTC) >= due, timeout=40)
    everywhere = {"rilis-pagi"} | {
        f"rilis-pagi in {place}"
        for place in ("v1/latest.json", "v1/tags/jadwal-terbit.json", "v1/feed.xml", "v1/feed.json")
    }
    wait_for(lambda: public() == everywhere, timeout=30)  # within 30 s of its time, and only it
    after = kabar(local_stack, "scheduled")
    assert "rilis-pagi" not in after.stdout and "rilis-diundur v2" in after.stdout


def test_webhooks_reach_a_local_receiver_signed_retried_and_replayed(
    local_stack: dict[str, Any], tmp_path: Path
) -> None:
    """As the local admin: a receiver that answers 500 twice, then 200, gets the publish three
    times with one webhook-id and a valid signature, then never again; the log shows the three
    attempts; an unpublish is announced; a receiver that always fails ends among the dead letters,
    and a replay delivers once it recovers."""
    from standardwebhooks.webhooks import Webhook

    from tests.support.receiver import receiver

    def add(url: str) -> tuple[str, str]:
        made = kabar(local_stack, "--json", "webhooks", "add", url, "--event", "article.published",
                     "--event", "article.unpublished")  # fmt: skip
        assert made.returncode == 0, made.stderr
        answer = json.loads(made.stdout)
        return answer["id"], answer["secret"]

    path = tmp_path / "kabar-webhook.md"
    path.write_text("---\ntitle: Sinyal Webhook Lokal\nslug: sinyal-webhook-lokal\n---\nIsi berita.\n")
    with receiver(500, 500, 200) as hook, receiver(503) as broken:
        first, secret = add(hook.url)
        second, _ = add(broken.url)
        assert kabar(local_stack, "upload", str(path)).returncode == 0
        wait_for(lambda: len(hook.received) >= 3, timeout=30)
        time.sleep(3)
        assert len(hook.received) == 3 and len({got.headers["webhook-id"] for got in hook.received}) == 1
        assert {Webhook(secret).verify(got.body, got.headers)["type"] for got in hook.received} == {
            "article.published"
        }
        log = kabar(local_stack, "webhooks", "log", first)
        assert (
            log.returncode == 0 and log.stdout.count("article.published: ") == 3 and ": 500 in" in log.stdout
        )
        path.write_text(
            path.read_text().replace(
                "slug: sinyal-webhook-lokal\n", "slug: sinyal-webhook-lokal\nstatus: draft\n"
            )
        )
        assert kabar(local_stack, "upload", str(path)).returncode == 0
        wait_for(lambda: len(hook.received) == 4, timeout=20)
        assert (
            Webhook(secret).verify(hook.received[3].body, hook.received[3].headers)["type"]
            == "article.unpublished"
        )

        wait_for(lambda: "dead: msg_" in kabar(local_stack, "webhooks", "log", second).stdout, timeout=40)
        tried = len(broken.received)
        broken.statuses[:] = [200]
        replayed = kabar(local_stack, "webhooks", "replay", second)
        assert replayed.returncode == 0 and replayed.stdout.startswith("replayed ")
        wait_for(
            lambda: (
                len(broken.received) > tried
                and "dead: msg_" not in kabar(local_stack, "webhooks", "log", second).stdout
            ),
            timeout=20,
        )
        assert broken.received[-1].headers["webhook-id"] == broken.received[0].headers["webhook-id"]


def test_ctrl_c_stops_everything(local_stack: dict[str, Any]) -> None:
    process = local_stack["_process"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    for url in (local_stack["api_url"], local_stack["cdn_url"], local_stack["aws_endpoint_url"]):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)
    assert not (local_stack["_state"] / "ready").exists()
