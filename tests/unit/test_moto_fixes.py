"""kabar_infra.moto_fixes: a cancelled transaction leaves no stream record and no silent stream."""

from __future__ import annotations

from typing import Any

import boto3
import pytest


def test_a_cancelled_transaction_leaves_the_stream_as_it_was(aws_env: None) -> None:
    from moto import mock_aws

    from kabar_infra.moto_fixes import install

    install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        table = dynamodb.create_table(
            TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )["TableDescription"]  # fmt: skip
        streams = boto3.client("dynamodbstreams")
        arn = table["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        start = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        position = {"it": start["ShardIterator"]}

        def new_records() -> list[tuple[str, str]]:
            response: Any = streams.get_records(ShardIterator=position["it"])
            position["it"] = response["NextShardIterator"]
            return [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in response["Records"]]

        dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}})
        assert new_records() == [("INSERT", "a")]
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "t", "Item": {"pk": {"S": "b"}}}},
                {"Put": {"TableName": "t", "Item": {"pk": {"S": "a"}},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
            ])  # fmt: skip
        assert new_records() == []  # "b" was never written
        assert "Item" not in dynamodb.get_item(TableName="t", Key={"pk": {"S": "b"}})
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "c"}})
        assert new_records() == [("INSERT", "c")]  # the stream goes on


def _table(dynamodb: Any) -> str:
    dynamodb.create_table(
        TableName="c",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk")],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )  # fmt: skip
    return str(dynamodb.describe_table(TableName="c")["Table"]["LatestStreamArn"])


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def test_a_cancelled_transaction_puts_back_every_item_it_changed(aws_env: None) -> None:
    """Updated, deleted and created items all return to what they were; the stream has none of it."""
    from moto import mock_aws

    from kabar_infra.moto_fixes import install

    install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        arn = _table(dynamodb)
        dynamodb.put_item(TableName="c", Item={**_key("a", "1"), "n": {"N": "1"}, "tags": {"SS": ["x"]}})
        dynamodb.put_item(TableName="c", Item={**_key("a", "2"), "n": {"N": "2"}})
        dynamodb.put_item(TableName="c", Item={**_key("z", "1"), "n": {"N": "1"}})
        streams = boto3.client("dynamodbstreams")
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            dynamodb.transact_write_items(TransactItems=[
                {"Update": {"TableName": "c", "Key": _key("a", "1"),
                            "UpdateExpression": "SET n = n + :one ADD tags :t",
                            "ExpressionAttributeValues": {":one": {"N": "1"}, ":t": {"SS": ["y"]}}}},
                {"Delete": {"TableName": "c", "Key": _key("a", "2")}},
                {"Put": {"TableName": "c", "Item": {**_key("b", "1"), "n": {"N": "9"}}}},
                {"Update": {"TableName": "c", "Key": _key("b", "2"), "UpdateExpression": "SET n = :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                {"ConditionCheck": {"TableName": "c", "Key": _key("z", "1"),
                                    "ConditionExpression": "n = :nine",
                                    "ExpressionAttributeValues": {":nine": {"N": "9"}}}},
            ])  # fmt: skip

        def item(pk: str, sk: str) -> Any:
            return dynamodb.get_item(TableName="c", Key=_key(pk, sk)).get("Item")

        assert item("a", "1") == {**_key("a", "1"), "n": {"N": "1"}, "tags": {"SS": ["x"]}}
        assert item("a", "2") == {**_key("a", "2"), "n": {"N": "2"}}
        assert item("b", "1") is None and item("b", "2") is None
        assert dynamodb.query(TableName="c", KeyConditionExpression="pk = :b",
                              ExpressionAttributeValues={":b": {"S": "b"}})["Count"] == 0  # fmt: skip
        assert streams.get_records(ShardIterator=latest["ShardIterator"])["Records"] == []
        # A transaction that succeeds writes everything, and streams it.
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "c", "Item": {**_key("b", "1"), "n": {"N": "9"}}}},
            {"Delete": {"TableName": "c", "Key": _key("a", "2")}},
        ])  # fmt: skip
        records = streams.get_records(ShardIterator=latest["ShardIterator"])["Records"]
        assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
        assert item("b", "1") is not None and item("a", "2") is None


def test_moto_keeps_no_copy_of_what_requests_returned(aws_env: None) -> None:
    """moto tracks every model object it creates; with the fix, items and records are not."""
    from moto import mock_aws
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import StreamRecord

    from kabar_infra.moto_fixes import install

    install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        _table(dynamodb)
        for n in range(20):
            dynamodb.put_item(TableName="c", Item=_key("a", str(n)))
            dynamodb.query(
                TableName="c", KeyConditionExpression="pk = :a", ExpressionAttributeValues={":a": {"S": "a"}}
            )
        assert Item.instances_tracked == [] and StreamRecord.instances_tracked == []


def test_a_partition_query_reads_that_partition_in_key_order(aws_env: None) -> None:
    from moto import mock_aws

    from kabar_infra.moto_fixes import install

    install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        _table(dynamodb)
        for pk, sk in [("b", "2"), ("a", "3"), ("b", "1"), ("a", "1"), ("a", "2")]:
            dynamodb.put_item(TableName="c", Item=_key(pk, sk))
        partition = {"KeyConditionExpression": "pk = :a", "ExpressionAttributeValues": {":a": {"S": "a"}}}
        page = dynamodb.query(TableName="c", ScanIndexForward=False, Limit=2, **partition)
        assert [i["sk"]["S"] for i in page["Items"]] == ["3", "2"]
        rest = dynamodb.query(
            TableName="c", ScanIndexForward=False, ExclusiveStartKey=page["LastEvaluatedKey"], **partition
        )
        assert [i["sk"]["S"] for i in rest["Items"]] == ["1"]
        assert [i["pk"]["S"] + i["sk"]["S"] for i in dynamodb.scan(TableName="c")["Items"]] == [
            "a1", "a2", "a3", "b1", "b2"]  # fmt: skip


def test_trimmed_and_expired_stream_records_are_gone_and_the_stream_goes_on(
    aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from moto import mock_aws

    from kabar_infra import moto_fixes

    moto_fixes.install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        arn = _table(dynamodb)
        streams = boto3.client("dynamodbstreams")
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        old = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        for n in range(3):
            dynamodb.put_item(TableName="c", Item=_key("a", str(n)))
        records = streams.get_records(ShardIterator=old["ShardIterator"])["Records"]
        second = int(records[1]["dynamodb"]["SequenceNumber"])
        assert moto_fixes.trim_stream(arn, second) == 1  # every reader is past the first
        with pytest.raises(streams.exceptions.ClientError, match="TrimmedDataAccessException"):
            streams.get_records(ShardIterator=old["ShardIterator"])
        horizon = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        kept = streams.get_records(ShardIterator=horizon["ShardIterator"])["Records"]
        assert [r["dynamodb"]["SequenceNumber"] for r in kept] == [
            r["dynamodb"]["SequenceNumber"] for r in records[1:]
        ]
        # 24 hours later, a new record finds the others expired, as DynamoDB's stream would.
        later = moto_fixes._utcnow() + timedelta(hours=24, seconds=1)
        monkeypatch.setattr(moto_fixes, "_utcnow", lambda: later)
        monkeypatch.setattr("moto.dynamodb.models.table.utcnow", lambda: later)
        dynamodb.put_item(TableName="c", Item=_key("a", "9"))
        horizon = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        (last,) = streams.get_records(ShardIterator=horizon["ShardIterator"])["Records"]
        assert last["dynamodb"]["Keys"]["sk"]["S"] == "9"
        assert int(last["dynamodb"]["SequenceNumber"]) == int(records[-1]["dynamodb"]["SequenceNumber"]) + 1


def test_an_index_query_finds_exactly_the_items_with_its_key_however_they_were_written(aws_env: None) -> None:
    """Index queries read buckets kept as items change: each answer is checked against every
    item of the table filtered by hand (what moto alone does), after puts, updates that move an
    item to another list, deletes, batch writes and a cancelled transaction."""
    from moto import mock_aws

    from kabar_infra.moto_fixes import install

    install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        schema, attributes = [("pk", "HASH"), ("sk", "RANGE")], ("pk", "sk", "lst", "pos")
        index = {"IndexName": "gsi", "Projection": {"ProjectionType": "ALL"},
                 "KeySchema": [{"AttributeName": "lst", "KeyType": "HASH"},
                               {"AttributeName": "pos", "KeyType": "RANGE"}]}  # fmt: skip
        dynamodb.create_table(
            TableName="g", KeySchema=[{"AttributeName": a, "KeyType": k} for a, k in schema],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
            GlobalSecondaryIndexes=[index], BillingMode="PAY_PER_REQUEST",
        )  # fmt: skip

        def key(pk: str) -> dict[str, Any]:
            return {"pk": {"S": pk}, "sk": {"S": "x"}}

        def item(pk: str, lst: str, pos: str) -> dict[str, Any]:
            return {**key(pk), "lst": {"S": lst}, "pos": {"S": pos}}

        def listed(lst: str) -> list[str]:
            answer = dynamodb.query(TableName="g", IndexName="gsi", KeyConditionExpression="lst = :l",
                                    ExpressionAttributeValues={":l": {"S": lst}})  # fmt: skip
            return [i["pk"]["S"] for i in answer["Items"]]

        def by_hand(lst: str) -> list[str]:
            every = dynamodb.scan(TableName="g")["Items"]
            return [i["pk"]["S"] for i in sorted(every, key=lambda i: i.get("pos", {}).get("S", ""))
                    if i.get("lst", {}).get("S") == lst]  # fmt: skip

        for number in range(6):
            dynamodb.put_item(TableName="g", Item=item(f"a{number}", "A" if number % 2 else "B", f"{number}"))
        moved = {":b": {"S": "B"}}
        dynamodb.update_item(TableName="g", Key=key("a1"), UpdateExpression="SET lst = :b",
                             ExpressionAttributeValues=moved)  # fmt: skip
        created = {":a": {"S": "A"}, ":p": {"S": "9"}}
        dynamodb.update_item(TableName="g", Key=key("new"), UpdateExpression="SET lst = :a, pos = :p",
                             ExpressionAttributeValues=created)  # fmt: skip
        dynamodb.delete_item(TableName="g", Key=key("a3"))
        writes = [{"PutRequest": {"Item": item("b0", "A", "7")}}, {"DeleteRequest": {"Key": key("a5")}}]
        dynamodb.batch_write_item(RequestItems={"g": writes})
        refused = {
            "TableName": "g",
            "Item": item("b0", "A", "7"),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
        with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
            # Moves a0 to list A, then is undone because b0 exists.
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "g", "Item": item("a0", "A", "0")}}, {"Put": refused},
            ])  # fmt: skip
        assert listed("A") == by_hand("A") == ["b0", "new"]
        assert listed("B") == by_hand("B") == ["a0", "a1", "a2", "a4"]
        assert listed("C") == by_hand("C") == []


def test_moto_routes_by_the_same_list_of_services_read_once() -> None:
    import os

    import moto
    from moto import backends

    from kabar_infra.moto_fixes import install

    install()
    package = os.path.dirname(moto.__file__)
    on_disk = sorted(e for e in os.listdir(package)
                     if os.path.isdir(os.path.join(package, e)) and not e.startswith("__"))  # fmt: skip
    # Every request asks again: the same answer each time (not a generator used up once).
    assert list(backends.list_of_moto_modules()) == list(backends.list_of_moto_modules()) == on_disk
    assert "dynamodb" in on_disk and "s3" in on_disk
