"""The penalty queue as a table of allowed moves: a pure function decides who may move a case where.

    pending_review ──approve (supervisor/admin)──▶ approved ──accept (bureau)──▶ accepted
          │                                                                       │
          ├──dismiss, reason required (supervisor/admin)──▶ dismissed             decide (bureau): fine within
          │                                                                       │ the legal range, or 责令停工整治,
          └──refer out (supervisor/admin)──▶ referred_out                          ▼ with 决定书文号
                                                           │                   decided ──close (bureau)──▶ closed
                                                           └──close with the outcome they report back (supervisor/admin)──▶ closed

    accepted ──reduced fine (减轻处罚)──▶ decision_pending ──another bureau user confirms──▶ decided
        │                                   └──sent back with a reason──▶ accepted
        └──withdraw with a reason (also from decision_pending)──▶ withdrawn
    decided ──pay (缴款)──▶ paid ──close──▶ closed      (penalties/decisions.py: what each move carries)

Only 区城管执法局 (``bureau``) decides cases in this system. A case of an outside authority — 区交管队
(overload on a weighed load, 《道路交通安全法》第九十二条), 生态环境分局 (ozone-hour works, 大气法
第一百零八条), 区住建局 — can only be referred out, and closed once a supervisor records the outcome that
authority reports back; a bureau case can never be referred out.
"""
from __future__ import annotations

from dataclasses import dataclass

SUPERVISORS = frozenset({"supervisor", "admin"})
BUREAU = frozenset({"enforcement", "admin"})
# Authorities whose cases this system only refers out (区交管队, 区住建局, 生态环境分局).
OUTSIDE = frozenset({"traffic_police", "housing", "ecology"})


@dataclass(frozen=True)
class Move:
    roles: frozenset[str]
    authority: str | frozenset[str] | None = None  # the case's authority (or one of these) the move needs

    def fits(self, authority: str) -> bool:
        """Whether a case of ``authority`` may make this move."""
        if self.authority is None:
            return True
        return authority == self.authority if isinstance(self.authority, str) else authority in self.authority


MOVES: dict[tuple[str, str], Move] = {
    ("pending_review", "approved"): Move(SUPERVISORS, "bureau"),
    ("pending_review", "referred_out"): Move(SUPERVISORS, OUTSIDE),
    ("pending_review", "dismissed"): Move(SUPERVISORS),
    ("approved", "accepted"): Move(BUREAU, "bureau"),
    ("accepted", "decided"): Move(BUREAU, "bureau"),
    # decisions.py: 减轻处罚 waits for a second bureau user, who confirms it or sends it back
    ("accepted", "decision_pending"): Move(BUREAU, "bureau"),
    ("decision_pending", "decided"): Move(BUREAU, "bureau"),
    ("decision_pending", "accepted"): Move(BUREAU, "bureau"),
    ("accepted", "withdrawn"): Move(BUREAU, "bureau"),  # 撤案, reason required
    ("decision_pending", "withdrawn"): Move(BUREAU, "bureau"),
    ("decided", "paid"): Move(BUREAU, "bureau"),  # 缴款: date and receipt number
    ("paid", "closed"): Move(BUREAU, "bureau"),
    ("decided", "closed"): Move(BUREAU, "bureau"),  # an unpaid fine only with a note saying why
    ("referred_out", "closed"): Move(SUPERVISORS, OUTSIDE),  # with the outcome they reported back
}

TARGETS = tuple(dict.fromkeys(target for _, target in MOVES))

OK = "ok"
FORBIDDEN = "forbidden"  # this role never makes this move (403)
BAD_TRANSITION = "bad_transition"  # no such move from the current state (409)
WRONG_AUTHORITY = "wrong_authority"  # the move exists but belongs to the other authority (409)


def role_may_reach(role: str, target: str) -> bool:
    """Whether ``role`` makes any move that ends in ``target``."""
    return any(t == target and role in move.roles for (_, t), move in MOVES.items())


def judge(current: str, target: str, role: str, authority: str) -> str:
    """Whether ``role`` may move a case of ``authority`` from ``current`` to ``target``.

    The role is checked first (a role that never reaches ``target`` is refused whatever the
    state), then the state, then the role for this very move, then the authority.
    """
    if not role_may_reach(role, target):
        return FORBIDDEN
    move = MOVES.get((current, target))
    if move is None:
        return BAD_TRANSITION
    if role not in move.roles:
        return FORBIDDEN
    if not move.fits(authority):
        return WRONG_AUTHORITY
    return OK


def next_states(current: str, role: str, authority: str) -> list[str]:
    """The states ``role`` may move this case to now (for the case view's buttons)."""
    return [target for (source, target) in MOVES
            if source == current and judge(current, target, role, authority) == OK]
