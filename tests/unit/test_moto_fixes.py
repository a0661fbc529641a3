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
