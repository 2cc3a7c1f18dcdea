"""Relations between states, from the fused events of a database: dyads, the network, blocs, polarity.

Definitions (docs/analytics.md gives them with their limits):

- A **party** is a country (ISO alpha-3), an intergovernmental organisation (UNO, EUR, ARL, …) or the West
  (WST); sector-only actors (GOV, MIL, …), armed groups and people are not parties.
- Every fused event counts once for every ordered pair (actor party, recipient party) of different parties.
- **Dyad scores** per period: events per PLOVER type, and the sum of their Goldstein scores (CAMEO scale,
  -10…+10), split into cooperation (sum of the positive scores) and conflict (sum of the absolute values
  of the negative scores).
- The **network** of a window: undirected; a node per party, weighted by its activity (events it takes part
  in); an edge per pair, with its cooperation, conflict and event count.
- **Blocs**: Louvain communities (networkx, fixed seed) of the graph whose edge weights are cooperation
  minus conflict, edges with a weight <= 0 left out; parties with no such edge are blocs of their own.
- **Polarity** per month: the effective number of poles, 1 / sum(s_i^2), where s_i is party i's share of
  PageRank centrality (weighted by cooperation, damping 0.85) in that month's cooperation network.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

SEED = 42


@lru_cache(maxsize=1)
def parties() -> frozenset[str]:
    from waqai.resources import load_table

    out = {r["iso3"] for r in load_table("actors/countries.tsv")}
    out |= {r["country"] for r in load_table("actors/organisations.tsv") if r["sector"] == "IGO" and r["country"]}
    return frozenset(out | {"WST"})


@lru_cache(maxsize=1)
def names() -> dict[str, dict[str, str]]:
    """Display names of parties: {code: {"en": …, "ar": …}}."""
    from waqai.resources import load_table

    out = {r["iso3"]: {"en": r["name_en"], "ar": r["names_ar"].split("|")[0]} for r in load_table("actors/countries.tsv")}
    for r in load_table("actors/organisations.tsv"):
        if r["sector"] == "IGO" and r["country"] == r["code"] and r["code"] not in out:
            out[r["code"]] = {"en": r["name_en"], "ar": r["names"].split("|")[0]}
    for r in load_table("actors/display_names.tsv"):
        out[r["code"]] = {"en": r["name_en"], "ar": r["name_ar"]}
    return out


@dataclass
class Pair:
    events: int = 0
    reports: int = 0
    goldstein: float = 0.0
    cooperation: float = 0.0
    conflict: float = 0.0
    by_type: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, event_type: str, goldstein: float, reports: int) -> None:
        self.events += 1
        self.reports += reports
        self.goldstein += goldstein
        if goldstein > 0:
            self.cooperation += goldstein
        else:
            self.conflict -= goldstein
        self.by_type[event_type] += 1


def _rows(db: sqlite3.Connection, since: str | None, until: str | None):
    from waqai.store import date_conditions

    conds, args = date_conditions(since, until, "date")
    conds.append("date IS NOT NULL")
    yield from db.execute("SELECT date, event_type, goldstein, actor_countries, recipient_countries, n_reports "
                          f"FROM events WHERE {' AND '.join(conds)} ORDER BY date, id", args)


def _pairs(actors: str, recipients: str):
    known = parties()
    for a in actors.split(","):
        for r in recipients.split(","):
            if a != r and a in known and r in known:
                yield a, r


def dyads(db: sqlite3.Connection, since: str | None = None, until: str | None = None, period: str = "all",
          actor: str | None = None, recipient: str | None = None) -> list[dict]:
    """Scores of every ordered pair of parties, over the whole window (`period="all"`) or per month."""
    table: dict[tuple, Pair] = defaultdict(Pair)
    for d, etype, gold, acts, recs, n in _rows(db, since, until):
        p = d[:7] if period == "month" else None
        for a, r in _pairs(acts, recs):
            if (actor and a != actor) or (recipient and r != recipient):
                continue
            table[(p, a, r)].add(etype, gold or 0.0, n)
    items = [{"period": p, "actor": a, "recipient": r, "events": s.events, "reports": s.reports,
              "goldstein": round(s.goldstein, 2), "cooperation": round(s.cooperation, 2),
              "conflict": round(s.conflict, 2), "by_type": dict(sorted(s.by_type.items()))}
             for (p, a, r), s in table.items()]
    items.sort(key=lambda x: (x["period"] or "", -x["events"], x["actor"], x["recipient"]))
    return items


def _undirected(db, since, until) -> tuple[dict[str, int], dict[tuple[str, str], Pair]]:
    activity: dict[str, int] = defaultdict(int)
    edges: dict[tuple[str, str], Pair] = defaultdict(Pair)
    for _, etype, gold, acts, recs, n in _rows(db, since, until):
        involved = set()
        for a, r in _pairs(acts, recs):
            edges[tuple(sorted((a, r)))].add(etype, gold or 0.0, n)
            involved |= {a, r}
        for x in involved:
            activity[x] += 1
    return activity, edges


def network(db: sqlite3.Connection, since: str | None = None, until: str | None = None) -> dict:
    """The network of parties in a window, with blocs and a fixed-seed layout (x, y in [-1, 1])."""
    import networkx as nx

    activity, edges = _undirected(db, since, until)
    blocs = _blocs(activity, edges)
    bloc_of = {n: i for i, b in enumerate(blocs) for n in b}
    g = nx.Graph()
    g.add_nodes_from(sorted(activity))
    for (a, b), s in sorted(edges.items()):
        g.add_edge(a, b, weight=s.cooperation + s.conflict + s.events)
    pos = nx.spring_layout(g, weight="weight", seed=SEED) if len(g) else {}
    scale = max((max(abs(x), abs(y)) for x, y in pos.values()), default=1.0) or 1.0
    central = _pagerank({k: s.cooperation for k, s in edges.items()})
    nodes = [{"id": n, "activity": activity[n], "bloc": bloc_of[n], "centrality": round(central.get(n, 0.0), 4),
              "x": round(float(pos[n][0]) / scale, 4), "y": round(float(pos[n][1]) / scale, 4)}
             for n in sorted(activity, key=lambda n: (-activity[n], n))]
    links = [{"source": a, "target": b, "cooperation": round(s.cooperation, 2), "conflict": round(s.conflict, 2),
              "events": s.events} for (a, b), s in sorted(edges.items())]
    return {"nodes": nodes, "edges": links, "blocs": blocs}


def _blocs(activity: dict[str, int], edges: dict[tuple[str, str], Pair]) -> list[list[str]]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(activity))
    for (a, b), s in sorted(edges.items()):
        w = s.cooperation - s.conflict
        if w > 0:
            g.add_edge(a, b, weight=w)
    comms = nx.community.louvain_communities(g, weight="weight", seed=SEED) if len(g) else []
    blocs = [sorted(c) for c in comms]
    blocs.sort(key=lambda b: (-len(b), -sum(activity[n] for n in b), b[0]))
    return blocs


def _pagerank(weights: dict[tuple[str, str], float]) -> dict[str, float]:
    import networkx as nx

    g = nx.Graph()
    for (a, b), w in sorted(weights.items()):
        if w > 0:
            g.add_edge(a, b, weight=w)
    if not len(g):
        return {}
    return nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-10, max_iter=500)


def polarity(db: sqlite3.Connection, since: str | None = None, until: str | None = None, top: int = 3) -> list[dict]:
    """The effective number of poles per month, with the parties of largest centrality share."""
    months: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for d, _, gold, acts, recs, _ in _rows(db, since, until):
        if gold and gold > 0:
            for a, r in _pairs(acts, recs):
                months[d[:7]][tuple(sorted((a, r)))] += gold
    series = []
    for m in sorted(months):
        pr = _pagerank(months[m])
        total = sum(pr.values()) or 1.0
        shares = sorted(((n, v / total) for n, v in pr.items()), key=lambda x: (-x[1], x[0]))
        poles = 1.0 / sum(s * s for _, s in shares) if shares else 0.0
        series.append({"month": m, "poles": round(poles, 3), "states": len(shares),
                       "top": [{"id": n, "share": round(s, 4)} for n, s in shares[:top]]})
    return series


def graphml(net: dict) -> str:
    """The network as GraphML (for Gephi, Cytoscape, networkx)."""
    import io

    import networkx as nx

    g = nx.Graph()
    for n in net["nodes"]:
        g.add_node(n["id"], activity=n["activity"], bloc=n["bloc"], centrality=n["centrality"],
                   label=names().get(n["id"], {}).get("en", n["id"]))
    for e in net["edges"]:
        g.add_edge(e["source"], e["target"], cooperation=e["cooperation"], conflict=e["conflict"], events=e["events"])
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")
