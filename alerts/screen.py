"""The quick first pass of complementary suppression: no relation with a lone unknown.

If a relation (a total and its categories, 全部 and the industries, a period and its parts)
has exactly one member that is not published, subtraction gives that member back; if its
unknown members are all small (two cells of 1), their sum pins them. The pass suppresses, in
every such relation, the cheapest published non-zero member (:func:`cost`), and repeats over
the relations that changed until none is left. These are necessary conditions, cheap to
reach; the linear-programming attacker (:mod:`alerts.lpattack`) then settles what chains of
relations still narrow.
"""
from __future__ import annotations

from alerts.counts import ALL, Key
from alerts.lattice import Structure


def cost(key: Key, value: int, hop: int = 0) -> tuple:
    """Cheapest complement first: a category (not a total), of one industry (not 全部), in the
    relation itself (not one step further), the smallest."""
    return (key[2] == "total", key[1] == ALL, hop, value, key)


def _short(st: Structure, members: list[int], unknown: list[bool], values: dict, truth: dict,
           threshold: int) -> bool:
    """Whether this relation alone pins a member: a lone non-zero unknown, or a sensitive
    unknown child that the other unknown children cannot make room for (their true values
    above their lower bounds add up to less than ``threshold - 1``)."""
    lone = [m for m in members if unknown[m]]
    if len(lone) == 1:
        return truth[st.keys[lone[0]]] > 0
    if unknown[members[0]]:
        return False  # an unknown parent can grow with any child
    room = {m: truth[st.keys[m]] - (st.keys[m] in values) for m in lone}
    total = sum(room.values())
    return any(0 < truth[st.keys[m]] < threshold and total - room[m] < threshold - 1 for m in lone)


def screen(st: Structure, values: dict[Key, int | None], truth: dict[Key, int], threshold: int) -> list[Key]:
    """Suppress (in ``values``, in place) until no relation pins a member by itself (:func:`_short`);
    return the cells suppressed. A key missing from ``values`` is unpublished (unknown)."""
    unknown = [values.get(k) is None for k in st.keys]
    pending = list(range(len(st.rels)))
    queued = set(pending)
    added: list[Key] = []
    while pending:
        number = pending.pop()
        queued.discard(number)
        parent, children = st.rels[number]
        members = [parent, *children]
        if not _short(st, members, unknown, values, truth, threshold):
            continue
        options = [st.keys[m] for m in members if not unknown[m] and values[st.keys[m]]]
        if not options:
            continue
        choice = min(options, key=lambda k: cost(k, values[k]))
        values[choice] = None
        unknown[st.index[choice]] = True
        added.append(choice)
        for other in st.rels_of[st.index[choice]]:
            if other not in queued:
                queued.add(other)
                pending.append(other)
    return added
