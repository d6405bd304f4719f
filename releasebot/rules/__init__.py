"""The rules language: the loaded form (model), rules.yaml loaded and checked (load, check), its patterns
(patterns), the matcher (match) and the one way to read a text (reading.read)."""

from releasebot.rules.load import check_rules, load_rules, parse_rules
from releasebot.rules.model import Example, Guard, Match, Problem, Refusal, Rule, Rules, RulesError
from releasebot.rules.patterns import compile_pattern, pattern_problems
from releasebot.rules.reading import Reading, read

__all__ = ["Example", "Guard", "Match", "Problem", "Reading", "Refusal", "Rule", "Rules", "RulesError",
           "check_rules", "compile_pattern", "load_rules", "parse_rules", "pattern_problems", "read"]
