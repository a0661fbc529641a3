"""Kabar's tools: the template reader, the local stack and the ``kabar`` CLI.

Not part of the Lambda layer: nothing here runs in AWS.
"""
