"""PracticeError and its subclasses: every refusal the product makes, with a stable code."""


class PracticeError(Exception):
    """Base of every expected refusal. `code` is stable and shown to users in their language."""

    code = "practice_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)
        self.message = message or self.code


class NotFoundError(PracticeError):
    """Unknown, or not visible to this user: both look the same from outside."""

    code = "not_found"


class ForbiddenError(PracticeError):
    code = "forbidden"


class NotAuthenticatedError(PracticeError):
    code = "not_authenticated"


class InvalidCredentialsError(PracticeError):
    code = "invalid_credentials"


class TooManyAttemptsError(PracticeError):
    code = "too_many_attempts"


class ValidationFailedError(PracticeError):
    code = "invalid_input"


class InvalidTextError(ValidationFailedError):
    """Text with a character no store can keep (a NUL byte, an unpaired surrogate)."""

    code = "invalid_text"


class ConflictError(PracticeError):
    code = "conflict"


class InvalidInviteError(PracticeError):
    code = "invalid_invite"


class WeakPasswordError(PracticeError):
    code = "weak_password"


class EmptyTextError(PracticeError):
    code = "empty_text"


class TextTooLongError(PracticeError):
    code = "text_too_long"


class SessionEndedError(PracticeError):
    code = "session_ended"


class ReplyPendingError(PracticeError):
    code = "reply_pending"


class TooFastError(PracticeError):
    code = "too_fast"


class LlmUnavailableError(PracticeError):
    code = "llm_unavailable"


class ScenarioInvalidError(PracticeError):
    """A scenario file or form failed validation; `problems` name each field and what is
    wrong with it ("problems.1.answer.zh: field required")."""

    code = "scenario_invalid"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
