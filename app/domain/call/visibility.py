"""What a viewer may see of a call while it runs: in exam mode a trainee sees no labels or
mood until the call ends, and a hidden style stays hidden until then. The API, the pages, the
websocket and the exports all ask these, so every representation shows the same."""

from app.domain.accounts.access import Actor, UserRole
from app.domain.call.session import Mode, PracticeSession

HIDDEN_STYLE = "hidden"


def reveals_live(actor: Actor, session: PracticeSession) -> bool:
    """Labels and the buyer's mood: shown live in coach mode, to reviewers, and after the end."""
    return (
        session.mode is Mode.COACH
        or session.is_ended
        or (actor.role is not UserRole.TRAINEE and actor.id != session.owner.user_id)
    )


def shown_style(actor: Actor, session: PracticeSession) -> str:
    """The buyer's style as this viewer may see it: `hidden` to the trainee of a hidden-style
    call until it ends."""
    if session.style_hidden and not session.is_ended and actor.id == session.owner.user_id:
        return HIDDEN_STYLE
    return session.style.value
