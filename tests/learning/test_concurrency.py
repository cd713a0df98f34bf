"""(PG) Double taps: parallel marks of the same material write one record and one points entry."""

import threading

import pytest
from django.db import connection, connections

from gongzhi.learning import services
from gongzhi.learning.models import QuizAttempt, StudyRecord
from gongzhi.points.models import PointEntry, RuleCode

from .factories import correct_answers, make_material, point_rules

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]


def _parallel(target, n=6):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_parallel_study_marks_write_one_record_and_one_points_entry(world):
    point_rules(world.street_a)
    material = make_material(world.community_a)
    errors = _parallel(lambda: services.mark_studied(material=material, member=world.member_a, minutes=20, by=None))
    assert not errors
    assert StudyRecord.objects.count() == 1
    assert PointEntry.objects.filter(code=RuleCode.STUDY).count() == 1


def test_parallel_quiz_passes_post_points_once(world):
    point_rules(world.street_a)
    quiz = make_material(world.community_a, with_quiz=True).quiz
    answers = correct_answers(quiz)
    errors = _parallel(lambda: services.submit_quiz(quiz=quiz, member=world.member_a, answers=answers, by=None))
    assert not errors
    assert QuizAttempt.objects.count() == 6
    assert PointEntry.objects.filter(code=RuleCode.QUIZ_PASSED).count() == 1
