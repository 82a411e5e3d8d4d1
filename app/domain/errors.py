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


class ScenarioInUseError(ConflictError):
    """Calls were played on the scenario: it can be disabled, not deleted."""

    code = "scenario_in_use"


class TooManyActiveCallsError(PracticeError):
    code = "too_many_active_calls"


class RateLimitedError(PracticeError):
    """Too many expensive requests (bulk classify, analyses, scenario saves) in a while."""

    code = "rate_limited"


class ServerBusyError(PracticeError):
    """The heavy-work queue is full; nothing was done, try again in a moment."""

    code = "server_busy"


class TooComplexError(PracticeError):
    """The input took longer to process than any honest one does; it was stopped."""

    code = "too_complex"


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


# --- accounts (issue 14 item 11, issue 15 items 1-2) ------------------------------------


class CommonPasswordError(WeakPasswordError):
    code = "password_common"


class PasswordLikeUsernameError(WeakPasswordError):
    code = "password_like_username"


class LookalikeUsernameError(ValidationFailedError):
    code = "username_mixed_script"


class LastAdminError(PracticeError):
    """The change would leave the installation with no active administrator."""

    code = "last_admin"


class WrongPasswordError(PracticeError):
    """The current password given to change it is wrong."""

    code = "wrong_password"
