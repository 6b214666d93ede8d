"""The retention (JRA) workflow's actions, one service each: transfer to the inactive archive,
appraisal, disposal proposal, and the Kepala Balai's decision with the destruction."""

from banding.archive.services.disposal import disposal_decide, disposal_propose, record_appraise
from banding.archive.services.transfer import records_transfer

__all__ = ["disposal_decide", "disposal_propose", "record_appraise", "records_transfer"]
