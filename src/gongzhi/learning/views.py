"""Pages of the party school and self-study: thin views over services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.permissions import can_view_org
from gongzhi.core.periods import parse_year
from gongzhi.core.rows import RowMarkup, RowUrl
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.core.templatetags.gongzhi import percent
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization

from . import selectors, services
from .documents import certificate_docx
from .forms import (
    ATTENDANCE_CHOICES,
    CourseEditForm,
    CourseForm,
    EnrolForm,
    MaterialForm,
    ProgrammeForm,
    QuestionFormSet,
    QuizForm,
    SessionForm,
    StudyForm,
    TrainingClassForm,
)
from .models import (
    Attendance,
    Course,
    Enrolment,
    Material,
    MaterialKind,
    Programme,
    Quiz,
    Session,
    StudyRecord,
    TrainingClass,
)
from .permissions import (
    can_manage_class,
    can_publish,
    can_see_learning_figures,
    can_view_member_record,
    managed_organizations,
    member_of,
)


def _managed_qs(user):
    return Organization.objects.filter(pk__in=[o.pk for o in managed_organizations(user)])


def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else _("The request could not be carried out.")


# --- self-study -----------------------------------------------------------------------------------------


def my_study(request):
    member = member_of(request.user)
    if member is None:
        return render(request, "learning/my_study.html", {"member": None})
    context = selectors.member_record(member)
    context["new_materials"] = selectors.materials_for(request.user, member).filter(studied=False)[:5]
    return render(request, "learning/my_study.html", context)


def materials(request):
    member = member_of(request.user)
    kind = request.GET.get("kind", "")
    kind = kind if kind in MaterialKind.values else ""
    page = Paginator(selectors.materials_for(request.user, member, kind), 20).get_page(request.GET.get("page"))
    return render(request, "learning/materials.html", {
        "page": page, "member": member, "kind": kind, "kinds": MaterialKind.choices,
        "can_publish": bool(managed_organizations(request.user)),
    })


def material_new(request):
    organizations = _managed_qs(request.user)
    if not organizations.exists():
        raise Http404
    form = MaterialForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_publish(request.user, data["organization"]):
            raise Http404
        try:
            material = services.publish_material(
                organization=data["organization"], title=data["title"], kind=data["kind"], body=data["body"],
                link=data["link"], suggested_minutes=data["suggested_minutes"], by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The material is published."))
            return redirect("learning:material", material.pk)
    return render(request, "learning/material_form.html", {"form": form})


def material_detail(request, pk: int):
    material = get_visible_or_404(Material.objects.select_related("organization"), request.user, pk=pk)
    member = member_of(request.user)
    record = StudyRecord.objects.filter(material=material, member=member).first() if member else None
    quiz = Quiz.objects.filter(material=material).first()
    return render(request, "learning/material.html", {
        "material": material, "member": member, "record": record, "quiz": quiz,
        "form": StudyForm(initial={"minutes": material.suggested_minutes}),
        "may_edit": can_publish(request.user, material.organization),
    })


def _editable_material(request, pk: int) -> Material:
    material = get_visible_or_404(Material.objects.select_related("organization"), request.user, pk=pk)
    if not can_publish(request.user, material.organization):
        raise Http404
    return material


def material_edit(request, pk: int):
    material = _editable_material(request, pk)
    organizations = Organization.objects.filter(pk=material.organization_id)
    initial = {"organization": material.organization, "title": material.title, "kind": material.kind,
               "body": material.body, "link": material.link, "suggested_minutes": material.suggested_minutes}
    form = MaterialForm(request.POST or None, organizations=organizations, initial=initial)
    form.fields["organization"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_material(material=material, title=data["title"], kind=data["kind"], body=data["body"],
                                     link=data["link"], suggested_minutes=data["suggested_minutes"],
                                     by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The material is updated."))
            return redirect("learning:material", material.pk)
    return render(request, "learning/material_form.html", {"form": form, "material": material},
                  status=400 if request.method == "POST" else 200)


@require_POST
def material_withdraw(request, pk: int):
    material = _editable_material(request, pk)
    if services.withdraw_material(material=material, by=request.user, request=request):
        messages.success(request, _("The material is deleted."))
        return redirect("learning:materials")
    messages.success(request, _("The material is withdrawn: it has left the lists; the study records of "
                                "members who read it are kept."))
    return redirect("learning:material", material.pk)


def _quiz_initial(quiz) -> list[dict]:
    rows = []
    for question in quiz.questions.prefetch_related("choices"):
        row = {"text": question.text, "kind": question.kind}
        for n, choice in enumerate(question.choices.all(), start=1):
            row[f"choice_{n}"], row[f"correct_{n}"] = choice.text, choice.correct
        rows.append(row)
    return rows


def quiz_edit(request, pk: int):
    """Write or rewrite the quiz of a material: questions, choices, the right answers, the pass mark."""
    material = _editable_material(request, pk)
    quiz = Quiz.objects.filter(material=material).first()
    taken = quiz is not None and quiz.attempts.exists()
    error = ""
    if request.method == "POST":
        data = request.POST.copy()
        if "add" in data:
            # Another blank question: the same form back with one more row, nothing saved.
            data["questions-TOTAL_FORMS"] = str(int(data.get("questions-TOTAL_FORMS") or 0) + 1)
        form = QuizForm(data)
        formset = QuestionFormSet(data, prefix="questions")
        if "add" not in data and form.is_valid() and formset.is_valid():
            try:
                drafts = [d for d in (f.draft() for f in formset) if d is not None]
                quiz = services.save_quiz(material=material, title=form.cleaned_data["title"],
                                          pass_mark=form.cleaned_data["pass_mark"], questions=drafts,
                                          by=request.user, request=request)
            except ValidationError as exc:
                error = _first_error(exc)
            else:
                messages.success(request, _("The quiz is saved. This is how members will see it."))
                return redirect("learning:quiz", quiz.pk)
        elif "add" not in data:
            error = _("Please correct the marked fields.")
    else:
        initial = _quiz_initial(quiz) if quiz else []
        form = QuizForm(initial={"title": quiz.title, "pass_mark": quiz.pass_mark} if quiz else
                        {"title": material.title, "pass_mark": 60})
        formset = QuestionFormSet(prefix="questions", initial=initial + [{}] * (1 if initial else 3))
    return render(request, "learning/quiz_form.html", {
        "material": material, "quiz": quiz, "taken": taken, "form": form, "formset": formset, "error": error,
    }, status=400 if error else 200)


@require_POST
def mark_studied(request, pk: int):
    material = get_visible_or_404(Material.objects.select_related("organization"), request.user, pk=pk)
    member = member_of(request.user)
    if member is None:
        raise Http404
    form = StudyForm(request.POST)
    if form.is_valid():
        try:
            result = services.mark_studied(material=material, member=member, minutes=form.cleaned_data["minutes"],
                                           reflection=form.cleaned_data["reflection"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.created:
                messages.success(request, _("Marked as studied. Thank you for your reflection."))
            else:
                messages.info(request, _("You marked this material studied on %(date)s already; nothing changed.")
                              % {"date": result.record.studied_on})
            return redirect("learning:material", material.pk)
    quiz = Quiz.objects.filter(material=material).first()
    return render(request, "learning/material.html", {
        "material": material, "member": member, "record": None, "quiz": quiz, "form": form}, status=400)


def quiz(request, pk: int):
    quiz = get_visible_or_404(Quiz.objects.select_related("material__organization"), request.user, pk=pk)
    member = member_of(request.user)
    questions = list(quiz.questions.prefetch_related("choices"))
    context = {"quiz": quiz, "questions": questions, "member": member, "error": "", "attempt": None,
               "may_edit": can_publish(request.user, quiz.material.organization)}
    if request.method == "POST":
        if member is None:
            raise Http404
        raw = {str(q.pk): request.POST.getlist(f"q{q.pk}") for q in questions if request.POST.getlist(f"q{q.pk}")}
        try:
            context["attempt"] = services.submit_quiz(quiz=quiz, member=member, answers=raw, by=request.user)
        except ValidationError as exc:
            context["error"] = _first_error(exc)
            return render(request, "learning/quiz.html", context, status=400)
    if member is not None:
        context["best"] = quiz.attempts.filter(member=member).order_by("-score").first()
    return render(request, "learning/quiz.html", context)


# --- party school ---------------------------------------------------------------------------------------


def programmes(request):
    organizations = _managed_qs(request.user)
    form = ProgrammeForm(request.POST or None, organizations=organizations,
                         initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not organizations.exists():
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            if not can_publish(request.user, data["organization"]):
                raise Http404
            programme = services.publish_programme(organization=data["organization"], title=data["title"],
                                                   year=data["year"], description=data["description"],
                                                   by=request.user, request=request)
            messages.success(request, _("The programme is published."))
            return redirect("learning:programme", programme.pk)
    items = Programme.objects.visible_to(request.user).select_related("organization")
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "learning/programmes.html", {"page": page, "form": form if organizations else None})


def programme_detail(request, pk: int):
    programme = get_visible_or_404(Programme.objects.select_related("organization"), request.user, pk=pk)
    may_edit = can_publish(request.user, programme.organization)
    form = CourseForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_course(programme=programme, title=data["title"], kind=data["kind"],
                                    module=data["module"], hours=data["hours"], teacher=data["teacher"],
                                    materials=data["materials"], upload=data["file"], by=request.user,
                                    request=request)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("The course is added to the catalogue."))
                return redirect("learning:programme", programme.pk)
    return render(request, "learning/programme.html", {
        "programme": programme, "courses": programme.courses.all(), "form": form if may_edit else None,
    }, status=400 if request.method == "POST" else 200)


def _editable_course(request, pk: int) -> Course:
    course = get_visible_or_404(Course.objects.select_related("programme__organization"), request.user, pk=pk)
    if not can_publish(request.user, course.programme.organization):
        raise Http404
    return course


def course_edit(request, pk: int):
    course = _editable_course(request, pk)
    initial = {name: getattr(course, name) for name in ("title", "kind", "module", "hours", "teacher", "materials")}
    form = CourseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_course(course=course, title=data["title"], kind=data["kind"], module=data["module"],
                                   hours=data["hours"], teacher=data["teacher"], materials=data["materials"],
                                   by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The course is updated."))
            return redirect("learning:programme", course.programme_id)
    return render(request, "learning/course_form.html", {"form": form, "course": course},
                  status=400 if request.method == "POST" else 200)


@require_POST
def course_delete(request, pk: int):
    course = _editable_course(request, pk)
    try:
        services.delete_course(course=course, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The course is deleted."))
    return redirect("learning:programme", course.programme_id)


def course_file(request, pk: int):
    course = get_visible_or_404(Course, request.user, pk=pk)
    if not course.file:
        raise Http404
    return FileResponse(course.file.open("rb"), as_attachment=True, filename=course.file_name or "course")


def classes(request):
    items = (TrainingClass.objects.visible_to(request.user).select_related("organization", "programme")
             .order_by("-starts_on", "-id"))
    if request.GET.get("status") == "running":
        items = items.running()
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "learning/classes.html", {
        "page": page, "can_open": bool(managed_organizations(request.user)),
    })


def class_new(request):
    organizations = _managed_qs(request.user)
    if not organizations.exists():
        raise Http404
    programmes_qs = Programme.objects.visible_to(request.user)
    form = TrainingClassForm(request.POST or None, organizations=organizations, programmes=programmes_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_publish(request.user, data["organization"]):
            raise Http404
        try:
            training_class = services.open_training_class(
                organization=data["organization"], programme=data["programme"], name=data["name"],
                category=data["category"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                required_hours=data["required_hours"], min_electives=data["min_electives"],
                courses=list(data["courses"]), by=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The training class is open."))
            return redirect("learning:class", training_class.pk)
    return render(request, "learning/class_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _class_for(request, pk: int) -> TrainingClass:
    return get_visible_or_404(TrainingClass.objects.select_related("organization", "programme"), request.user,
                              pk=pk)


def _enrol_candidates(training_class):
    return (Member.objects.in_subtree(training_class.organization).current()
            .exclude(enrolments__training_class=training_class).order_by("name_initials", "id"))


def class_detail(request, pk: int):
    training_class = _class_for(request, pk)
    manage = can_manage_class(request.user, training_class) and not training_class.is_finished
    context = selectors.class_page(training_class)
    reads_all = _covers_read(request.user, training_class)
    if not reads_all:
        # An enrolled member (the only other reader) sees only his own progress.
        me = member_of(request.user)
        context["enrolments"] = [e for e in context["enrolments"] if me is not None and e.member_id == me.pk]
    context.update({
        "manage": manage, "staff_view": reads_all,
        "enrol_form": EnrolForm(members=_enrol_candidates(training_class)) if manage else None,
        "session_form": SessionForm(courses=Course.objects.filter(classes=training_class),
                                    initial={"held_on": timezone.localdate()}) if manage else None,
    })
    return render(request, "learning/class.html", context)


def _managed_class(request, pk: int) -> TrainingClass:
    training_class = _class_for(request, pk)
    if not can_manage_class(request.user, training_class):
        raise Http404
    return training_class


@require_POST
def class_enrol(request, pk: int):
    training_class = _managed_class(request, pk)
    ids = request.POST.getlist("members")
    try:
        members = list(Member.objects.filter(pk__in=[int(i) for i in ids]))
        if len(members) != len(set(ids)) or not members:
            raise ValidationError(_("Choose members of the organizer's scope; nobody was enrolled."))
        count = services.enrol_members(training_class=training_class, members=members, by=request.user,
                                       request=request)
    except ValueError:
        messages.error(request, _("Choose members of the organizer's scope; nobody was enrolled."))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("%(n)s members enrolled.") % {"n": count})
    return redirect("learning:class", training_class.pk)


@require_POST
def session_add(request, pk: int):
    training_class = _managed_class(request, pk)
    form = SessionForm(request.POST, courses=Course.objects.filter(classes=training_class))
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = services.add_session(training_class=training_class, course=data["course"],
                                           held_on=data["held_on"], hours=data["hours"], place=data["place"],
                                           by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, _first_error(exc))
        else:
            return redirect("learning:session", session.pk)
    else:
        messages.error(request, _("The session could not be added: %(errors)s")
                       % {"errors": "; ".join(e for errors in form.errors.values() for e in errors)})
    return redirect("learning:class", training_class.pk)


def session_detail(request, pk: int):
    session = get_visible_or_404(Session.objects.select_related("training_class__organization", "course"),
                                 request.user, pk=pk)
    training_class = session.training_class
    if not _covers_read(request.user, training_class):
        raise Http404  # attendance sheets are for the organizer's staff and supervisors
    manage = can_manage_class(request.user, training_class) and not training_class.is_finished
    if request.method == "POST":
        if not manage:
            raise Http404
        statuses = {}
        try:
            for key, value in request.POST.items():
                if key.startswith("e"):
                    statuses[int(key[1:])] = value
            services.record_attendance(session=session, statuses=statuses, by=request.user, request=request)
        except (ValueError, ValidationError) as exc:
            messages.error(request, _first_error(exc) if isinstance(exc, ValidationError)
                           else _("The attendance could not be read; nothing was saved."))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("learning:session", session.pk)
    enrolments = list(training_class.enrolments.select_related("member"))
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    for enrolment in enrolments:
        enrolment.mark = marks.get(enrolment.pk, "")
    return render(request, "learning/session.html", {
        "session": session, "training_class": training_class, "enrolments": enrolments, "manage": manage,
        "choices": ATTENDANCE_CHOICES,
    })


def _covers_read(user, training_class) -> bool:
    return can_view_org(user, training_class.organization)


@require_POST
def class_finish(request, pk: int):
    training_class = _managed_class(request, pk)
    try:
        count = services.finish_training_class(training_class=training_class, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The class is finished: %(n)s members completed it.") % {"n": count})
    return redirect("learning:class", training_class.pk)


def certificate(request, pk: int):
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("member", "training_class__organization").filter(
            completed_on__isnull=False), request.user, pk=pk)
    if enrolment.member.user_id != request.user.pk and not _covers_read(request.user, enrolment.training_class):
        raise Http404
    response = HttpResponse(certificate_docx(enrolment), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f'attachment; filename="certificate-{enrolment.certificate_number}.docx"'
    response["Cache-Control"] = "no-store"
    return response


# --- figures --------------------------------------------------------------------------------------------


def organization_stats(request, pk: int):
    return stats(request, org_id=pk)


def stats(request, org_id=None):
    if not can_see_learning_figures(request.user):
        raise Http404
    org_id = org_id or request.GET.get("org")
    if org_id:
        organization = get_visible_or_404(Organization, request.user, pk=org_id)
        if not can_view_org(request.user, organization):
            raise Http404
    else:
        organization = selectors.default_organization(request.user)
        if organization is None:
            raise Http404
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    context = selectors.study_hours(organization, year)
    context.update(selectors.training_completion(organization, year))
    page = Paginator(context.pop("per_member"), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.name_member_rows(page.object_list)
    context["members_page"] = page
    context["rows"] = _stats_rows(context)
    return render(request, "learning/stats.html", context)


_PER_ORG_ROW = RowMarkup('<tr><td><a href="{url}?year={year}">{name}</a></td><td class="text-end">{members}</td>'
                         '<td class="text-end">{records}</td><td class="text-end">{hours}</td></tr>\n')
_COMPLETION_ROW = RowMarkup('<tr><td>{label}</td><td class="text-end">{enrolled}</td>'
                            '<td class="text-end">{completed}</td><td class="text-end">{rate}</td></tr>\n')
_PER_MEMBER_ROW = RowMarkup('<tr><td><a href="{url}">{name}</a></td><td>{branch}</td><td class="text-end">{records}'
                            '</td><td class="text-end">{minutes}</td></tr>\n')


def _stats_rows(context) -> dict:
    """The figures' four tables' rows (``study_hours``' and ``training_completion``'s), as the template's loops
    wrote them, each prepared once per page (core.rows): a street lists a few hundred organizations, each row of
    which the template resolved, localized and escaped variable by variable and whose link it reversed again.
    Numbers are written as the template wrote them (no thousands separator is configured)."""
    org_url, member_url, year = RowUrl("learning:org_stats"), RowUrl("learning:member"), str(context["year"])
    return {
        "per_org": _PER_ORG_ROW.join(
            {"url": org_url(r["organization_id"]), "year": year, "name": r["organization__name"],
             "members": str(r["members"]), "records": str(r["records"]), "hours": str(r["hours"])}
            for r in context["per_org"]),
        "by_category": _COMPLETION_ROW.join(
            {"label": r["label"], "enrolled": str(r["enrolled"]), "completed": str(r["completed"]),
             "rate": percent(r["rate"])} for r in context["by_category"]),
        "by_branch": _COMPLETION_ROW.join(
            {"label": r["member__home_org__name"] or "—", "enrolled": str(r["enrolled"]),
             "completed": str(r["completed"]), "rate": percent(r["rate"])} for r in context["by_branch"]),
        "per_member": _PER_MEMBER_ROW.join(
            {"url": member_url(r["member_id"]), "name": r["member__name"], "branch": r["organization__name"],
             "records": str(r["records"]), "minutes": str(r["minutes"])} for r in context["members_page"]),
    }


def member_detail(request, pk: int):
    member = get_visible_or_404(Member.objects.select_related("home_org", "community"), request.user, pk=pk)
    if not can_view_member_record(request.user, member):
        raise Http404
    return render(request, "learning/member.html", selectors.member_record(member, viewer=request.user))

