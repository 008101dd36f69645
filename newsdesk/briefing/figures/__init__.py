"""Figures (key counts and amounts with what they count) and the conflicts between sources.

=====================  =====================================================================
:mod:`.numbers`        number phrases and the value ranges they state ("at least 41", "dozens")
:mod:`.filters`        numbers that are never figures (years, dates, times, ages, addresses, ...)
:mod:`.lexicon`        the words of events, groups, units and money
:mod:`.measure`        what a number counts, of what, who says so, background or not
:mod:`.extract`        figure mentions of a parsed article
:mod:`.compare`        one Figure per stated value; conflicts between independent sources
=====================  =====================================================================
"""

from __future__ import annotations

from .compare import CONFLICT_MAX_RATIO, find_conflicts, merge_figures, rival_groups, rivals, same_source
from .extract import DEFAULT_RULES, FigureMention, FigureRules, admits, figure_candidates, find_figures
from .lexicon import EVENT_MEASURES, measure_class
from .numbers import interval, parse_number

__all__ = ["FigureMention", "FigureRules", "DEFAULT_RULES", "admits", "figure_candidates", "parse_number", "interval",
           "find_figures", "merge_figures", "find_conflicts", "rival_groups", "rivals", "same_source", "EVENT_MEASURES",
           "CONFLICT_MAX_RATIO", "measure_class"]
