"""``make bench-local-memory``: what the local stack holds, and in how much memory.

The stack starts as ``make run`` starts it (``python -m kabar_infra.local``, its
own process: moto server, router, API, CDN, a worker process per function),
empty. Editors then publish KABAR_BENCH_LOCAL_ARTICLES (2,000) articles
through it as ``kabar upload`` does (POST /uploads, the presigned POST to
moto's S3, the queue, PublishFunction, the stream to Tagging, Related and
Render), in waves of 50 uploaded at once, each waited for until the CDN
serves it; a reader comments on every fifth article (each from its own
address) and a moderator approves every comment. Articles are IndoSum's
(../shared/data/indosum), dated 40 a day, with two editor tags each;
TaggingFunction suggests the rest and RelatedFunction lists related articles.

Memory is the resident set (VmRSS, and its peak VmHWM, from /proc) of the
stack's process and, separately, of its worker processes; the target is the
whole stack under 2 GiB at 2,000 articles. Results go to docs/benchmarks.md
and the README, between the ``bench:local-memory`` markers.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTICLES = int(os.environ.get("KABAR_BENCH_LOCAL_ARTICLES", "2000"))
LEAD_MAX = 2000  # an article's lead is at most 2,000 characters; a few IndoSum first paragraphs are longer
WAVE = 50
COMMENT_EVERY = 5
CHECKPOINT = max(WAVE, ARTICLES // 8 // WAVE * WAVE)
LIMIT_MIB = 2048
MARKERS = ("<!-- bench:local-memory:start -->", "<!-- bench:local-memory:end -->")

from benchmarks.sections import write_results  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB (0 when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {"VmRSS": 0, "VmHWM": 0}
    found = {
        line.split(":")[0]: int(line.split()[1]) for line in lines if line.startswith(("VmRSS", "VmHWM"))
    }
    return {"VmRSS": found.get("VmRSS", 0), "VmHWM": found.get("VmHWM", 0)}


def _children(pid: int) -> list[int]:
    """Child processes, whichever of the process's threads started them."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def memory(pid: int) -> dict[str, float]:
    """MiB: the stack's process (now and its peak) and its workers (now, and the sum of peaks)."""
    main = _status(pid)
    workers = [_status(child) for child in _children(pid)]
    return {
        "stack": main["VmRSS"] / 1024,
        "stack_peak": main["VmHWM"] / 1024,
        "workers": sum(w["VmRSS"] for w in workers) / 1024,
        "workers_peak": sum(w["VmHWM"] for w in workers) / 1024,
        "worker_count": len(workers),
    }


def start_stack(state: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    env = {**os.environ, "KABAR_STATE_DIR": str(state), "KABAR_API_PORT": str(_free_port()),
           "KABAR_CDN_PORT": str(_free_port()), "KABAR_MOTO_PORT": str(_free_port())}  # fmt: skip
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCOUNT_ID_ENDPOINT_MODE"):
        env.pop(key, None)
    log = (state / "stack.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kabar_infra.local", "--no-samples", "--quiet"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not (state / "ready").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the local stack did not start:\n" + (state / "stack.log").read_text())
        time.sleep(0.2)
    return process, json.loads((state / "local.json").read_text())


@contextmanager
def running(state: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, Any]]]:
    """The local stack started on ``state``, and stopped after the block as Ctrl-C stops it."""
    process, config = start_stack(state)
    try:
        yield process, config
    finally:
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        print(f"stopped in {time.monotonic() - started:.1f} s", flush=True)


def _client(config: dict[str, Any], who: str) -> Any:
    from kabar_infra.cli.client import Credentials, KabarClient

    user = config[who]
    token = Credentials(user["client_id"], user["username"], user["password"], config["region"],
                        config["aws_endpoint_url"]).id_token()  # fmt: skip
    return KabarClient(config["api_url"], token, timeout=120)


def write_articles(directory: Path, count: int) -> tuple[list[Path], str]:
    from benchmarks.related_bench import generated
    from kabar.authoring import parse_article_file
    from kabar.text.plain import TAG

    corpus, source = generated(count)
    paths, titles = [], set()
    for index, item in enumerate(corpus):
        title = " ".join(word.capitalize() for word in item["title"].split())
        if title in titles:  # Kabar refuses a title it has just published (IndoSum has "Report" twice)
            title = f"{title} {index}"
        titles.add(title)
        lead = item["lead"][:LEAD_MAX].rsplit(" ", 1)[0] if len(item["lead"]) > LEAD_MAX else item["lead"]
        lead = TAG.sub(" ", lead)  # a few IndoSum leads hold markup (a script's CDATA); a lead is plain text
        front = {"title": title, "lead": lead, "category": item["category"].title(),
                 "tags": item["tags"][:2], "published_at": item["published_at"],
                 "slug": f"bench-{index:05d}"}  # fmt: skip
        text = "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
        path = directory / f"bench-{index:05d}.md"
        path.write_text(text + "---\n" + (item["body"] or item["lead"]) + "\n", encoding="utf-8")
        parse_article_file(path.name, path.read_bytes())  # Kabar's own check: a bad file stops the run here
        paths.append(path)
    return paths, source


def _reader(index: int) -> Any:
    import requests
    from requests.adapters import HTTPAdapter

    address = f"127.{1 + index // 250}.{index % 250}.10"  # its own /24: never a flood

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", FromAddress())
    return session


def publish_wave(editor: Any, paths: list[Path]) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(8) as pool:
        tickets = list(pool.map(editor.upload, paths))
        return list(pool.map(lambda t: editor.wait(t["upload_id"], timeout=600), tickets))


def comment_wave(config: dict[str, Any], moderator: Any, statuses: list[dict[str, Any]], first: int) -> int:
    posted = 0
    for offset, status in enumerate(statuses):
        index = first + offset
        if index % COMMENT_EVERY or status["state"] != "published":
            continue
        slug = status["article"]["slug"]
        body = {"name": f"Pembaca {index}", "email": f"pembaca{index}@example.id",
                "content": f"Terima kasih atas beritanya, nomor {index}."}  # fmt: skip
        response = _reader(index).post(f"{config['api_url']}/articles/{slug}/comments", json=body, timeout=60)
        posted += response.status_code == 201
    while True:
        pending = moderator.comments("pending", limit=100)["comments"]
        if not pending:
            return posted
        for comment in pending:
            moderator.moderate(comment["id"], "approve")


def _table_items(config: dict[str, Any]) -> int:
    import boto3

    client = boto3.client("dynamodb", endpoint_url=config["aws_endpoint_url"], region_name=config["region"],
                          aws_access_key_id="local", aws_secret_access_key="local")  # fmt: skip
    table = config["resources"]["ContentTable"]
    return int(client.describe_table(TableName=table)["Table"]["ItemCount"])


def _check(config: dict[str, Any], slug: str) -> dict[str, Any]:
    import requests

    doc = requests.get(f"{config['cdn_url']}/v1/articles/{slug}.json", timeout=30).json()
    return {"tags": len(doc["tags"]), "related": len(doc.get("related") or []),
            "comments": (doc.get("comments") or {}).get("count", 0)}  # fmt: skip


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kabar-bench-") as tmp:
        state = Path(tmp)
        paths, source = write_articles(state, ARTICLES)
        with running(state) as (process, config):
            return _run(process, config, paths, source)


def _run(process: Any, config: dict[str, Any], paths: list[Path], source: str) -> dict[str, Any]:
    rows, published, rejected, comments, reasons = [], 0, 0, 0, []
    started = last = time.monotonic()
    for first in range(0, len(paths), WAVE):
        # Signed in again for each wave: an ID token lasts an hour, and the whole run takes longer.
        editor, moderator = _client(config, "editor"), _client(config, "moderator")
        statuses = publish_wave(editor, paths[first : first + WAVE])
        published += sum(s["state"] == "published" and bool(s.get("live")) for s in statuses)
        rejected += sum(s["state"] != "published" for s in statuses)
        reasons += [f"{s.get('upload_id')}: {s.get('errors')}" for s in statuses if s["state"] != "published"]
        comments += comment_wave(config, moderator, statuses, first)
        done = first + len(statuses)
        if done % CHECKPOINT == 0 or done == len(paths):
            now = time.monotonic()
            row = {"articles": done, "published": published, "comments": comments,
                   "seconds": now - started, "per_article_ms": (now - last) * 1000 / CHECKPOINT,
                   "items": _table_items(config), **memory(process.pid)}  # fmt: skip
            last = now
            rows.append(row)
            print(json.dumps(row), flush=True)
    return {"rows": rows, "rejected": rejected, "reasons": reasons[:5], "source": source,
            "sample": _check(config, "bench-00000"), "cores": os.cpu_count()}  # fmt: skip


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    final = rows[-1]
    total_peak = final["stack_peak"] + final["workers_peak"]
    sample = result["sample"]
    lines = [
        MARKERS[0],
        f"**The local stack's memory** (`make bench-local-memory`, {datetime.now(UTC):%Y-%m-%d}: "
        f"`python -m kabar_infra.local` as `make run` starts it; {final['articles']:,} articles "
        f"({result['source'].split(' and ')[0]}, 40 a day, two editor tags each) published through "
        f"the API, moto's S3, the queue and the stream, {WAVE} at a time, each waited for until the "
        f"CDN served it; a comment on every {COMMENT_EVERY}th, approved by a moderator; resident "
        "memory from /proc):",
        "",
        "| articles | comments | table items | time (s) | ms per article | stack process (MiB) "
        "| its peak | workers (MiB) | whole stack, peak (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['articles']:,} | {row['comments']} | {row['items']:,} | {row['seconds']:.0f} "
            f"| {row['per_article_ms']:.0f} | {row['stack']:.0f} | {row['stack_peak']:.0f} "
            f"| {row['workers']:.0f} | {row['stack_peak'] + row['workers_peak']:.0f} |"
        )
    verdict = "yes" if total_peak < LIMIT_MIB and final["published"] == final["articles"] else "NO"
    lines += [
        "",
        f"Every article published and live: {final['published']:,} of {final['articles']:,} "
        f"({result['rejected']} rejected{': ' + '; '.join(result['reasons']) if result['reasons'] else ''}); "
        f"the first article then had {sample['tags']} tags, "
        f"{sample['related']} related articles and {sample['comments']} comment(s). Under "
        f"{LIMIT_MIB:,} MiB for the whole stack: {verdict}. Before the moto fixes "
        "(`kabar_infra.moto_fixes`) the stack's process held about 2.9 GiB after 20 uploads and "
        "21 GiB after 60.",
        MARKERS[1],
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    result = measure()
    section = report(result)
    write_results(section, ROOT, MARKERS)
    final = result["rows"][-1]
    return 0 if final["stack_peak"] + final["workers_peak"] < LIMIT_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
