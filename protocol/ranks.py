"""Protocol rules that read the delegations app's ranks and roles: who needs
full powers to sign (Vienna Convention on the Law of Treaties, art. 7) and
where a speaker stands on the high-level segment's speaking list."""

from __future__ import annotations

from delegations.enums import DelegationRole, ProtocolRank

from .enums import RankGroup

# VCLT art. 7(2)(a): Heads of State, Heads of Government and Ministers for
# Foreign Affairs represent their State for signing without full powers.
FULL_POWERS_EXEMPT_RANKS = frozenset(
    {
        ProtocolRank.HEAD_OF_STATE,
        ProtocolRank.HEAD_OF_GOVERNMENT,
        ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
    }
)

_GROUP_BY_RANK = {
    ProtocolRank.HEAD_OF_STATE: RankGroup.HEAD_OF_STATE,
    ProtocolRank.VICE_PRESIDENT: RankGroup.VICE_PRESIDENT_OR_CROWN_PRINCE,
    ProtocolRank.CROWN_PRINCE: RankGroup.VICE_PRESIDENT_OR_CROWN_PRINCE,
    ProtocolRank.HEAD_OF_GOVERNMENT: RankGroup.HEAD_OF_GOVERNMENT,
    ProtocolRank.DEPUTY_HEAD_OF_GOVERNMENT: RankGroup.DEPUTY_HEAD_OF_GOVERNMENT,
    ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS: RankGroup.MINISTER,
    ProtocolRank.MINISTER: RankGroup.MINISTER,
    ProtocolRank.VICE_MINISTER: RankGroup.VICE_MINISTER,
}


def full_powers_required(rank: int) -> bool:
    return rank not in FULL_POWERS_EXEMPT_RANKS


def rank_group(rank: int, role: str) -> RankGroup:
    """The speaking-list group of a speaker of protocol ``rank`` and
    delegation ``role``. An ambassador counts as "Head of Delegation at
    ambassador level" only when they head the delegation."""
    group = _GROUP_BY_RANK.get(rank)
    if group is not None:
        return group
    if rank == ProtocolRank.AMBASSADOR and role == DelegationRole.HEAD:
        return RankGroup.AMBASSADOR_HEAD_OF_DELEGATION
    return RankGroup.OTHER
