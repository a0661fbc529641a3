"""Print template.yaml translated from SAM to plain CloudFormation (JSON).

cfn-lint on the SAM source misses references to missing resources inside
serverless resources; linting the translated template catches them. Runs in
the aws-sam-cli virtualenv, which has samtranslator. Offline: no credentials.
"""

from __future__ import annotations

import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class _OfflinePlugins:
    """samtranslator needs managed policy ARNs only for names; we use none."""

    def load(self) -> dict[str, str]:
        return {}


def main(path: str) -> None:
    # Pseudo parameters need a region; any will do for a translation that is only linted.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(path, encoding="utf-8") as handle:
        template = yaml_parse(handle.read())
    # What `sam package` does: local code locations become S3 locations.
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = f"s3://kabar-artifacts/{logical_id}.zip"
    translated = transform(template, {}, _OfflinePlugins())
    # An API's checks (caching, for one) apply to the Stage SAM generates for it, which
    # keeps none of the API's metadata: carry the reasoned skips over.
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Api" or "checkov" not in resource.get("Metadata", {}):
            continue
        stage = f"{logical_id}{resource['Properties']['StageName']}Stage"
        translated["Resources"][stage].setdefault("Metadata", {})["checkov"] = resource["Metadata"]["checkov"]
    json.dump(translated, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
