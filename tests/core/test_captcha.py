"""core.captcha: the fallback question (varied wording, words not digits, burnt by any attempt) and
the single-use pass that spares a visitor the check after another field's error."""

import base64
import json
import re

import pytest
from altcha import Challenge, Payload, solve_challenge

from core.captcha import (
    NUMBERS,
    check_text_answer,
    issue_pass,
    new_question,
    new_text_check,
    parse_answer,
    redeem_pass,
)

WORDS = {word: n for n, word in enumerate(NUMBERS)}
GENITIVE = {"одного": 1, "двух": 2, "трёх": 3, "четырёх": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8}
GENITIVE |= {"девяти": 9, "десяти": 10}
OLD_PATTERN = re.compile(r"Сколько будет (\w+) плюс (\w+)\?")  # what read the single form before

RULES = [
    (r"Сколько будет (\w+) плюс (\w+)\?", lambda a, b: WORDS[a] + WORDS[b]),
    (r"Сложите (\w+) и (\w+)\.", lambda a, b: WORDS[a] + WORDS[b]),
    (r"Сколько будет (\w+) минус (\w+)\?", lambda a, b: WORDS[a] - WORDS[b]),
    (r"Вычтите (\w+) из (\w+)\.", lambda a, b: GENITIVE[b] - WORDS[a]),
    (r"Какое число на (\w+) больше, чем (\w+)\?", lambda a, b: WORDS[a] + WORDS[b]),
    (r"Какое из чисел больше: (\w+) или (\w+)\?", lambda a, b: max(WORDS[a], WORDS[b])),
]


def form_of(question: str) -> int:
    return next(i for i, (pattern, _) in enumerate(RULES) if re.search(pattern, question))


def solved_payload(client) -> str:
    """Fetches a challenge from the site's own endpoint and solves it in Python, as the widget does."""
    challenge = client.get("/altcha/challenge/").json()
    solution = solve_challenge(Challenge.from_dict(challenge), timeout=60)
    assert solution is not None
    return Payload(Challenge.from_dict(challenge), solution).to_base64()


def solve(question: str) -> int:
    """What a determined script does: knows every form. (The rate limit is what stops it.)"""
    pattern, rule = RULES[form_of(question)]
    return rule(*re.search(pattern, question).groups())


def test_questions_vary_in_form_use_no_digits_and_defeat_the_old_pattern():
    questions = [new_question() for _ in range(400)]
    assert len({form_of(q) for q, _ in questions}) == len(RULES)
    assert not any(re.search(r"\d", q) for q, _ in questions)
    matched = sum(bool(OLD_PATTERN.search(q)) for q, _ in questions)
    assert matched < len(questions) / 3  # the regex that read every question before reads few now
    assert all(solve(q) == answer for q, answer in questions)
    assert all(0 <= answer <= 20 for _, answer in questions)


@pytest.mark.parametrize(
    ("text", "value"),
    [("11", 11), (" 7 ", 7), ("семь", 7), ("Одиннадцать.", 11), ("ЧЕТЫРЕ", 4), ("четыре!", 4), ("ноль", 0)],
)
def test_answers_in_digits_or_words(text, value):
    assert parse_answer(text) == value


@pytest.mark.parametrize("text", ["", "семь с половиной", "1e3", "сто", "-3", "٣"])
def test_other_answers_are_not_numbers(text):
    assert parse_answer(text) is None


def test_the_right_answer_passes_once_in_digits_or_words(db):
    question, token = new_text_check()
    answer = solve(question)
    assert check_text_answer(token, NUMBERS[answer])
    assert not check_text_answer(token, str(answer))  # single use


def test_a_wrong_answer_burns_the_question(db):
    question, token = new_text_check()
    answer = solve(question)
    assert not check_text_answer(token, str(answer + 1))
    assert not check_text_answer(token, str(answer))  # no second guess on the same question


def test_forged_token_is_refused_and_the_token_does_not_carry_the_answer(db):
    payload = base64.urlsafe_b64encode(json.dumps({"h": "0", "n": "x", "e": 9999999999}).encode()).decode()
    assert not check_text_answer(f"{payload}.{'0' * 64}", "5")
    _, token = new_text_check()
    data = json.loads(base64.urlsafe_b64decode(token.rsplit(".", 1)[0]))
    assert set(data) == {"n", "e", "h"}


def test_a_pass_is_single_use_and_bound_to_its_form(db):
    token = issue_pass("RegistrationForm")
    assert not redeem_pass(token, "VoteForm")
    assert redeem_pass(token, "RegistrationForm")
    assert not redeem_pass(token, "RegistrationForm")
    assert not redeem_pass(token[:-2] + "xx", "RegistrationForm")
    assert not redeem_pass("", "RegistrationForm")
