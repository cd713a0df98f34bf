"""The demo party school and study records, and the demo accounts' pages."""

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from gongzhi.accounts.models import User
from gongzhi.learning.models import Enrolment, Material, QuizAttempt, StudyRecord, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(module_demo, db):
    """The demo, loaded once for this module; each test runs in a savepoint."""


def test_the_demo_has_a_finished_class_with_certificates_and_a_running_one(demo):
    finished = TrainingClass.objects.get(finished_on__isnull=False)
    running = TrainingClass.objects.get(finished_on__isnull=True)
    assert finished.organization.name == "幸福社区党委" and running.organization == finished.organization
    completed = Enrolment.objects.filter(training_class=finished, completed_on__isnull=False)
    assert 0 < completed.count() < finished.enrolments.count()
    assert all(e.certificate_number for e in completed)
    assert running.sessions.exists() and running.enrolments.count() >= 20
    assert finished.class_courses.filter(course__kind="required").count() == 2
    assert StudyRecord.objects.values("member").distinct().count() >= 100
    assert Material.objects.filter(quiz__isnull=False).exists() and QuizAttempt.objects.filter(passed=True).exists()


def test_demo_accounts_open_the_learning_pages(demo):
    for username in ("dangyuan", "shegong", "shuji", "zhibu1", "jiedao", "jiandu", "jumin", "heping"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name in ("learning:my_study", "learning:materials", "learning:classes", "learning:programmes"):
            assert client.get(reverse(name)).status_code == 200, (username, name)
    client = Client()
    client.force_login(User.objects.get(username="dangyuan"))
    body = client.get(reverse("learning:my_study")).content.decode()
    assert "data-figure=\"study-hours\"" in body
    enrolment = Enrolment.objects.get(member__user__username="dangyuan", completed_on__isnull=False)
    response = client.get(reverse("learning:certificate", args=[enrolment.pk]))
    assert response.status_code == 200 and Document(BytesIO(response.content)).paragraphs
    heping = Client()
    heping.force_login(User.objects.get(username="heping"))
    assert heping.get(reverse("learning:certificate", args=[enrolment.pk])).status_code == 404
    assert heping.get(reverse("learning:class", args=[enrolment.training_class_id])).status_code == 404
    staff = Client()
    staff.force_login(User.objects.get(username="shegong"))
    assert staff.get(reverse("learning:stats")).status_code == 200
    assert staff.get(reverse("learning:class", args=[enrolment.training_class_id])).status_code == 200
