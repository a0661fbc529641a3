"""The one place that builds the structured logger every handler uses."""

from __future__ import annotations

from aws_lambda_powertools import Logger

# Service name and level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL,
# which the template sets per function.
logger = Logger()
