"""One exception hierarchy for everything the API layer can report (§5).

Every error carries what a person needs: a message, a one-line hint saying what to do, and the
service's `code` and `request_id` when there is one. Branch on `code`, not on HTTP status (§9).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

# The labelled lines of `WanError.details`.
_WHAT_TO_DO = QT_TRANSLATE_NOOP("WanError", "What to do: {hint}")
_CODE = QT_TRANSLATE_NOOP("WanError", "Code: {value}")
_STATUS = QT_TRANSLATE_NOOP("WanError", "HTTP status: {value}")
_REQUEST_ID = QT_TRANSLATE_NOOP("WanError", "Request id: {value}")


class WanError(Exception):
    """Base of every error the API layer raises. `str(err)` is a complete, readable sentence.

    For the UI's translation the message can be given as a template marked with
    `QT_TRANSLATE_NOOP("WanError", ...)` plus `values`: `message` is then the English text and
    `template`/`values` stay apart so the UI translates the template before formatting it.
    """

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Try again; if it keeps happening, copy the details into a bug report."
    )
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
        status: int | None = None,
        hint: str | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.template = message
        self.values = dict(values or {})
        message = message.format(**self.values) if self.values else message
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.status = status
        self.hint = hint or self.default_hint

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"[{self.code}]")
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)

    def details(
        self, translate: Callable[[str], str] = str, *, message: str | None = None, hint: str | None = None
    ) -> str:
        """Multi-line text for a details pane or stderr: message, hint, code, HTTP status, request id.

        In English as it stands; the UI passes its `translate` for the line labels (context
        "WanError") with the message and hint already in its language (`i18n.error_details`).
        """
        lines = [
            self.message if message is None else message,
            translate(_WHAT_TO_DO).format(hint=self.hint if hint is None else hint),
        ]
        for template, value in ((_CODE, self.code), (_STATUS, self.status), (_REQUEST_ID, self.request_id)):
            if value:
                lines.append(translate(template).format(value=value))
        return "\n".join(lines)


class ValidationError(WanError):
    """The request breaks a rule of the reference; nothing was sent.

    `issues` lists every problem found, each naming its field so a UI can mark the right control.
    """

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Change the highlighted setting and try again; nothing was sent or billed."
    )

    def __init__(self, issues: list[ValidationIssue]) -> None:
        self.issues = list(issues)
        message = "; ".join(f"{i.field}: {i.message}" for i in self.issues) or "Invalid request"
        super().__init__(message)


class ValidationIssue:
    """One broken rule: which field (e.g. 'size', 'images[2]', 'color_palette'), and why.

    `message` is the English sentence; `template` and `values` (see `of`) are what the UI
    translates: `translate("ValidationIssue", template).format(**values)`.
    """

    __slots__ = ("field", "message", "template", "values")

    def __init__(
        self, field: str, message: str, *, template: str | None = None, values: Mapping[str, object] | None = None
    ) -> None:
        self.field = field
        self.message = message
        self.template = message if template is None else template
        self.values = dict(values or {})

    @classmethod
    def of(cls, field: str, template: str, **values: object) -> ValidationIssue:
        """An issue whose message is `template.format(**values)`, the template kept for translation."""
        return cls(field, template.format(**values), template=template, values=values)

    def __repr__(self) -> str:
        return f"ValidationIssue({self.field!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidationIssue) and (self.field, self.message) == (other.field, other.message)

    def __hash__(self) -> int:
        return hash((self.field, self.message))


class ReferenceImageError(WanError):
    """A reference image cannot be used (unreadable, wrong format, out of bounds)."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Pick a JPEG, PNG, BMP or WebP image between 240 and 8000 pixels per side."
    )


class ServiceError(WanError):
    """The service answered with an error code (§4.4) or a FAILED task (§4.3)."""


class AuthError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Check the API key and its region: a Singapore key does not work in Beijing and vice versa. Run "
        "'wan27 key check' or open Settings › API key.",
    )


class AccessDeniedError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Activate the Wan 2.7 model for this account or workspace in the Model Studio console."
    )


class QuotaError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The account is out of funds or free quota; top up in the Alibaba Cloud console."
    )


class ModerationError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The prompt or an image was blocked by content moderation; change it before retrying."
    )


class InvalidRequestError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The service rejected the request; check the parameters and reference images."
    )


class PayloadTooLargeError(InvalidRequestError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The request is too large; use smaller reference images or pass them as URLs."
    )


class InputDownloadError(InvalidRequestError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The service could not fetch a reference image URL; check it is public, or use a local file."
    )
    retryable = True


class RateLimitError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Too many requests right now; wait a minute and retry (the account allows 5 at a time)."
    )
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(ServiceError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "The service had a temporary problem; retry in a moment.")
    retryable = True


class NetworkError(WanError):
    """No usable answer reached us: DNS, refused or reset connection, timeout, garbled response."""

    default_hint = QT_TRANSLATE_NOOP("WanError", "Check the internet connection (or proxy) and retry.")
    retryable = True


class InterruptedCreateError(NetworkError):
    """A create call was sent but its answer was lost: it may have run and been billed (§5).

    Never retried automatically; the user decides.
    """

    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "The request may have been accepted and billed. Check the console before retrying; an async "
        "task can be looked up by its id if it was returned.",
    )
    retryable = False


class MalformedResponseError(NetworkError):
    """The service (or a proxy in front of it) answered with something we cannot read: invalid
    JSON, an HTML page, or JSON of an unexpected shape (§4 is parsed leniently, but not blindly)."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "The service's answer was garbled, often by a proxy or gateway; retry in a moment. If a "
        "generation was sent, it may already have run.",
    )


class ResultExpired(WanError):
    """A result URL is past its `Expires` (§4.5: 24 h); the image can no longer be downloaded."""

    default_hint = QT_TRANSLATE_NOOP("WanError", "Result links expire after 24 hours; generate the image again.")


class DownloadError(WanError):
    """A result could not be fetched or is not a valid image."""

    default_hint = QT_TRANSLATE_NOOP("WanError", "Retry the download; result links stay valid for 24 hours.")
    retryable = True


class TaskUnknown(ServiceError):
    """§4.3: the task does not exist, or is older than 24 h."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "Tasks are kept for 24 hours; this one has expired or was never created with this key."
    )


class TaskCanceled(ServiceError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "The task was canceled before it ran; nothing was billed.")


class TaskTimeout(WanError):
    """Our local polling deadline passed; the task may still finish on the server."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError", "The task is still known to the service for 24 hours; resume it from the job queue."
    )
    retryable = True


class Canceled(WanError):
    """The user canceled a local wait or download."""

    default_hint = QT_TRANSLATE_NOOP("WanError", "Canceled.")


class NotSent(Canceled):
    """A create stopped before its request left (while it waited for the account's send rate): the
    job is as it was before, queued, and nothing was sent or billed."""
