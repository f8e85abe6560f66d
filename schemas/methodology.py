"""Pydantic model of a methodology file (the composite-indicator engine's YAML).

Every key, its type, its default and its range are declared here once;
``docs/methodologie.md`` lists them (generated: ``python -m schemas.yaml_files``; a test
keeps the page up to date). Unknown keys are refused, weights must name declared children,
and the tree must be a tree (known children, no cycle, a root among the nodes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from schemas.yaml_files import STRICT, Path_, StrictModel, Text

Number = Annotated[float, Field(allow_inf_nan=False)]

#: Share of a node's children's weight that must be available for the node to be scored,
#: when the methodology does not say: all of it. A node with a missing child is then
#: "données insuffisantes" rather than silently re-weighted over the children it has; a
#: methodology that accepts partial scores says so with ``min_coverage`` (and ``impute``).
DEFAULT_MIN_COVERAGE = 1.0


def _weight_message(children: list) -> str:
    listed = ", ".join(str(child) for child in children)
    return f"poids d'un enfant absent de children ({listed}) : code mal orthographié ?"


class Normalisation(StrictModel):
    """How an indicator's raw value becomes a 0–1 score."""

    model_config = STRICT | {"title": "normalisation"}

    method: Literal["minmax", "scale", "identity"] = Field(
        "minmax",
        description="minmax : (x − min) / (max − min) ; scale : x / max ; identity : x tel quel",
    )
    min: Number = Field(0.0, description="borne basse (minmax)")
    max: Number = Field(1.0, description="borne haute (minmax) ou maximum de l'échelle (scale)")
    clip: bool = Field(True, description="ramener le score entre 0 et 1")

    @model_validator(mode="after")
    def _goalposts(self) -> Normalisation:
        if self.method == "minmax" and not self.max > self.min:
            raise ValueError(
                f"bornes min ({self.min:g}) et max ({self.max:g}) : max doit être supérieur à min"
                " (pour « plus bas est mieux », gardez min < max et écrivez "
                "direction: lower_is_better)"
            )
        if self.method == "scale" and not self.max > 0:
            raise ValueError(f"max ({self.max:g}) doit être strictement positif pour « scale »")
        return self


class IndicatorSpec(StrictModel):
    """A leaf of the tree."""

    model_config = STRICT | {"title": "Indicateur (sous indicators)"}

    label: Text | None = Field(None, description="libellé (défaut : le code)")
    normalisation: Normalisation = Field(
        default_factory=Normalisation,
        description="tableau method/min/max/clip, ou le seul nom de la méthode",
    )
    direction: Literal["higher_is_better", "lower_is_better"] = Field(
        "higher_is_better", description="sens de l'indicateur"
    )
    transform: Literal["log"] | None = Field(
        None, description="log : logarithme de la valeur et des bornes"
    )
    cap: Number | None = Field(None, description="plafond appliqué à la valeur brute")
    denominator: Text | None = Field(
        None, description="code d'une autre valeur de l'unité (par exemple la population)"
    )
    per: Annotated[Number, Field(gt=0)] = Field(1.0, description="multiplicateur du ratio")
    mapping: dict[Text, Number] | None = Field(
        None, description="réponses texte → nombre (comparées sans casse ni espaces)"
    )

    @field_validator("normalisation", mode="before")
    @classmethod
    def _method_name(cls, value: Any) -> Any:
        return {"method": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _log_goalposts(self) -> IndicatorSpec:
        norm = self.normalisation
        if self.transform == "log" and norm.method == "minmax" and norm.min <= 0:
            raise ValueError(
                f"transform: log demande des bornes strictement positives (min = {norm.min:g})"
            )
        return self


class NodeSpec(StrictModel):
    """An internal node: an aggregate of its children."""

    model_config = STRICT | {"title": "Nœud (sous nodes)"}

    label: Text | None = Field(None, description="libellé (défaut : le code)")
    children: Annotated[list[Text], Field(min_length=1)] = Field(
        description="codes des enfants (indicateurs ou nœuds)"
    )
    weights: dict[Text, Annotated[Number, Field(ge=0)]] = Field(
        default_factory=dict, description="poids par code d'enfant (défaut : 1)"
    )
    aggregation: Literal["arithmetic", "geometric"] = Field(
        "arithmetic", description="moyenne pondérée arithmétique ou géométrique"
    )
    min_coverage: Annotated[Number, Field(ge=0, le=1)] = Field(
        DEFAULT_MIN_COVERAGE,
        description="part du poids des enfants qui doit être disponible pour noter le nœud",
    )
    impute: Literal["zero", "mean"] | None = Field(
        None, description="remplacer un enfant manquant par 0 ou par la moyenne des unités"
    )

    def weight_of(self, child: str) -> float:
        return float(self.weights.get(child, 1.0))


class MethodologyFile(StrictModel):
    """A methodology: its tree of nodes over indicators, and its scale."""

    model_config = STRICT | {"title": "Document (premier niveau)"}

    name: Text | None = Field(None, description="nom de l'indicateur composite (défaut : root)")
    version: Text = Field("1", description="version de la méthodologie")
    root: Text = Field(description="code du nœud racine")
    scale: Annotated[Number, Field(gt=0)] = Field(
        1.0, description="échelle des scores publiés (1, 100…)"
    )
    nodes: Annotated[dict[Text, NodeSpec], Field(min_length=1)] = Field(
        description="nœuds internes, par code"
    )
    indicators: dict[Text, IndicatorSpec] = Field(description="indicateurs (feuilles), par code")

    @classmethod
    def raw_consistency_problems(cls, data: Any) -> Iterable[tuple[Path_, str]]:
        """Weights of undeclared children, even when another key breaks the schema."""
        nodes = data.get("nodes") if isinstance(data, dict) else None
        for code, node in (nodes or {}).items() if isinstance(nodes, dict) else ():
            if not isinstance(node, dict):
                continue
            children, weights = node.get("children"), node.get("weights")
            if isinstance(children, list) and isinstance(weights, dict):
                for child in weights:
                    if child not in children:
                        yield ("nodes", code, "weights", child), _weight_message(children)

    def consistency_problems(self) -> Iterable[tuple[Path_, str]]:
        for code in sorted(set(self.nodes) & set(self.indicators)):
            yield ("indicators", code), f"« {code} » est à la fois un indicateur et un nœud"
        if self.root not in self.nodes:
            yield ("root",), f"racine « {self.root} » absente des nœuds"
        known = set(self.nodes) | set(self.indicators)
        for code, node in self.nodes.items():
            for index, child in enumerate(node.children):
                if child not in known:
                    yield (
                        ("nodes", code, "children", index),
                        f"enfant « {child} » inconnu : ni un nœud ni un indicateur",
                    )
            seen: set[str] = set()
            for index, child in enumerate(node.children):
                if child in seen:
                    yield ("nodes", code, "children", index), f"enfant « {child} » en double"
                seen.add(child)
            for child in node.weights:
                if child not in node.children:
                    yield ("nodes", code, "weights", child), _weight_message(node.children)
        cycle = self._cycle()
        if cycle:
            yield ("nodes", cycle[0]), f"cycle dans l'arbre : {' → '.join(cycle)}"

    def _cycle(self) -> list[str] | None:
        state: dict[str, int] = {}  # 1: on the current path, 2: done

        def visit(code: str, trail: list[str]) -> list[str] | None:
            if state.get(code) == 1:
                return [*trail[trail.index(code) :], code]
            if state.get(code) == 2 or code not in self.nodes:
                return None
            state[code] = 1
            for child in self.nodes[code].children:
                found = visit(child, [*trail, code])
                if found:
                    return found
            state[code] = 2
            return None

        for code in self.nodes:
            found = visit(code, [])
            if found:
                return found
        return None
