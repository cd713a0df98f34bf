"""Demo recognition: the default titles at the demo street (服务之星, 积分标兵, 热心参与)."""

from __future__ import annotations

from .defaults import install_default_badges


def build(ctx) -> None:
    install_default_badges(ctx["street"])
