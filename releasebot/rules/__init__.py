"""The rules language: rules.yaml loaded and checked (load, check), its patterns (patterns), the matcher
(match), the loaded form (model) and the examples' runner (examples)."""

from releasebot.rules.examples import Example
from releasebot.rules.load import check_rules, load_rules, parse_rules
from releasebot.rules.match import Match, Rule
from releasebot.rules.model import Problem, Rules, RulesError
from releasebot.rules.patterns import compile_pattern, pattern_problems

__all__ = ["Example", "Match", "Problem", "Rule", "Rules", "RulesError", "check_rules", "compile_pattern",
           "load_rules", "parse_rules", "pattern_problems"]
