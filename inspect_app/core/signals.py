"""Domain signals (blinker, as Indico does) so later features react to earlier ones without the
earlier ones importing them: inspections announce a recorded inspection, evidence adds flags,
penalties open violations and cases. Receivers run inside the sender's transaction and only flush.
"""
from blinker import Namespace

_signals = Namespace()

#: sent with the new Inspection as sender, after its items are stored and scored (not on replays)
inspection_recorded = _signals.signal("inspection-recorded")

#: sent with ``photo_ids=`` (the ids a new submission declares) before it is stored, so evidence can
#: refuse ids that already belong to another inspection (a receiver raises a DomainError)
photo_ids_declared = _signals.signal("photo-ids-declared")

#: sent with the Inspection as sender and ``photo=`` after a new photo row is stored
photo_stored = _signals.signal("photo-stored")

#: sent with the PenaltyCase as sender and ``actor=``, ``outcome=`` (e.g. "warning", "fine",
#: "fine_and_stop_work", "stop_work", "no_penalty", "reduced_fine") after a decision is recorded, so
#: sites can be suspended by a stop-work order without penalties importing the suspension logic
case_decided = _signals.signal("case-decided")

#: sent with the new Notice as sender after it is issued (not on replays), so follow-ups can plan
#: its 复查 without notices importing them
notice_issued = _signals.signal("notice-issued")

#: sent with the Inspection as sender and ``actor=`` when a supervisor rejects it for good (review,
#: not sent back for correction): it no longer counts, so its notice is voided and its 复查 cancelled
inspection_rejected = _signals.signal("inspection-rejected")

#: sent with the new Alert as sender and ``actor=`` after a heavy-pollution alert is declared, so
#: notifications (group robots, webhooks) can announce it without alerts importing them
alert_declared = _signals.signal("alert-declared")

#: sent with the new PenaltyCase as sender after it is queued (penalties for sites, roadside for
#: trucks; not on replays), so notifications can tell the unit's supervisors without importing them
case_queued = _signals.signal("case-queued")

#: sent with the Inspection as sender and ``actor=``, ``event=`` (the ReviewEvent) when a supervisor
#: rejects it and sends it back for correction (退回修改)
inspection_sent_back = _signals.signal("inspection-sent-back")

#: sent with the surviving Organisation as sender and ``duplicate=``, ``actor=`` when two records of the
#: same organisation are merged, so sites (and anything else naming organisations) move to the survivor
organisation_merged = _signals.signal("organisation-merged")
