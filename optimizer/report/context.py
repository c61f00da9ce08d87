"""What every sheet of the plan report needs to know: the network, the plan, the language and the names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from optimizer.design.plan import Plan
from optimizer.model import Network
from optimizer.report.labels import text


@dataclass(frozen=True, slots=True)
class ReportContext:
    """The network and plan being reported, in ``lang``, with display names of nodes and grades."""

    network: Network
    plan: Plan
    lang: str
    scenario_name: str
    created: datetime.date
    node_names: dict[str, str]
    grade_names: dict[str, str]
    #: "full" (every sheet, re-imports) or "client" (no input sheets, no supplier prices)
    edition: str = "full"

    @classmethod
    def of(
        cls,
        network: Network,
        plan: Plan,
        lang: str,
        scenario_name: str | None,
        created: datetime.date,
        edition: str = "full",
    ) -> ReportContext:
        return cls(
            network=network,
            plan=plan,
            lang=lang,
            scenario_name=scenario_name or text("base", lang),
            created=created,
            node_names={n.id: n.name or n.id for n in network.nodes()},
            grade_names={g.id: g.name(lang) for g in network.grades},
            edition=edition,
        )

    @property
    def subtitle(self) -> str:
        """Network, scenario, date and edition, for the line under every sheet's title."""
        edition = text("edition_" + self.edition, self.lang)
        return (
            f"{text('network', self.lang)}: {self.network.name}  ·  {text('scenario', self.lang)}: "
            f"{self.scenario_name}  ·  {self.created.isoformat()}  ·  {edition}"
        )

    @property
    def page_header(self) -> str:
        """The left page header of printed sheets."""
        return f"{self.network.name} · {self.scenario_name}"

    def name(self, node_id: str) -> str:
        return self.node_names.get(node_id, node_id)

    def grade(self, grade_id: str) -> str:
        return self.grade_names.get(grade_id, grade_id)
