"""The quick first pass of complementary suppression: no relation with a lone unknown.

If a relation (a total and its categories, 全部 and the industries, a period and its parts)
has exactly one member that is not published, subtraction gives that member back. The pass
suppresses, in every such relation whose lone unknown is not zero, the cheapest published
non-zero member (:func:`cost`), and repeats over the relations that changed until none is
left. This is the classical necessary condition, cheap to reach; the linear-programming
attacker (:mod:`alerts.lpattack`) then settles what chains of relations still narrow.
"""
from __future__ import annotations

from alerts.counts import ALL, Key
from alerts.lattice import Structure


def cost(key: Key, value: int, hop: int = 0) -> tuple:
    """Cheapest complement first: a category (not a total), of one industry (not 全部), in the
    relation itself (not one step further), the smallest."""
    return (key[2] == "total", key[1] == ALL, hop, value, key)


def screen(st: Structure, values: dict[Key, int | None], truth: dict[Key, int]) -> list[Key]:
    """Suppress (in ``values``, in place) until no relation has a lone non-zero unknown; return
    the cells suppressed. A key missing from ``values`` is unpublished (unknown)."""
    unknown = [values.get(k) is None for k in st.keys]
    pending = list(range(len(st.rels)))
    queued = set(pending)
    added: list[Key] = []
    while pending:
        number = pending.pop()
        queued.discard(number)
        parent, children = st.rels[number]
        members = [parent, *children]
        lone = [m for m in members if unknown[m]]
        if len(lone) != 1 or truth[st.keys[lone[0]]] == 0:
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
