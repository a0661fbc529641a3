"""UploadsFunction: the editors' upload API (POST /uploads, GET /uploads/{upload_id}) and what is
scheduled (GET /scheduled, DELETE /scheduled/{slug})."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar import aws
from kabar.api import Answer, caller_in_group, json_response, resolver
from kabar.deps import stores
from kabar.observability import correlate, logger, request_id
from kabar.routes import uploads as routes
from kabar.routes.scheduled import bind_scheduled
from kabar.routes.social import bind_social
from kabar.settings import get_settings
from kabar.workflows import uploads

if TYPE_CHECKING:
    from kabar.workflows.upload_forms import UploadRequest


def current_editor() -> str:
    return caller_in_group(app, get_settings().editors_group, "this API")


app = resolver(guard=current_editor)
bind_scheduled(app, current_editor)
bind_social(app, current_editor)


@app.bind(routes.CREATE)
def create_upload(request: UploadRequest) -> Answer:
    editor, settings = current_editor(), get_settings()
    limits = uploads.Limits(article_bytes=settings.upload_max_bytes, image_bytes=settings.image_max_bytes,
                            expires_seconds=settings.upload_expires_seconds)  # fmt: skip
    ticket = uploads.request_upload(request, editor=editor, uploads=stores().uploads, limits=limits,
                                    presign=aws.presigned_post(settings.incoming_bucket))  # fmt: skip
    logger.info("upload requested", extra={"upload_id": ticket.upload_id, "editor": editor})
    return json_response(201, ticket.model_dump(mode="json"))


@app.bind(routes.STATUS_OF)
def get_upload(upload_id: str) -> Answer:
    current_editor()
    status = uploads.upload_status(upload_id, uploads=stores().uploads, articles=stores().articles,
                                   expires_seconds=get_settings().upload_expires_seconds)  # fmt: skip
    return json_response(200, status.to_json())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))  # API Gateway's request id: the items written carry it
    return app.resolve(event, context)
