"""The Prometheus text exposition format (version 0.0.4) for releasebot's counters and gauges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Metric:
    """One metric: a single value, or values by one label."""

    name: str
    kind: str  # counter or gauge
    help: str
    value: float | None = None
    label: str = ""
    by_label: Mapping[str, float] = field(default_factory=dict)


def render(metrics: list[Metric]) -> str:
    """The metrics as Prometheus text: HELP and TYPE lines, then one sample a line."""
    lines = []
    for metric in metrics:
        lines += [f"# HELP {metric.name} {metric.help}", f"# TYPE {metric.name} {metric.kind}"]
        if metric.label:
            lines += [f'{metric.name}{{{metric.label}="{_escape(key)}"}} {_number(value)}'
                      for key, value in sorted(metric.by_label.items())]
        else:
            lines.append(f"{metric.name} {_number(metric.value or 0)}")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
