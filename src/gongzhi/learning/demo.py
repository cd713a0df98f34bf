"""Demo party school and study: the street's "2+X" programme and catalogue, a finished
in-service class in 幸福社区 with certificates, a running retirees' class, study materials
with a year of study records and a quiz with results. Bulk inserts; deterministic."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from gongzhi.members.models import Member, MemberCategory

from . import services
from .models import (
    Attendance,
    AttendanceStatus,
    Choice,
    ClassCourse,
    Course,
    CourseKind,
    Enrolment,
    Material,
    MaterialKind,
    Programme,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    Session,
    StudyRecord,
    TraineeCategory,
    TrainingClass,
)

# title, kind, module, hours, teacher, materials
CATALOGUE = [
    ("党章党规", CourseKind.REQUIRED, "党章党规", "4", "街道党校 王老师",
     "《中国共产党章程》\n《中国共产党纪律处分条例》\nhttps://www.12371.cn/"),
    ("习近平新时代中国特色社会主义思想", CourseKind.REQUIRED, "理论武装", "6", "区委党校 李教授",
     "《习近平新时代中国特色社会主义思想学习纲要》"),
    ("党史学习", CourseKind.ELECTIVE, "党史", "3", "区党史办 陈老师", "《中国共产党简史》"),
    ("基层治理与社区服务", CourseKind.ELECTIVE, "基层治理", "2", "幸福社区 李秀英", "“接诉即办”工作规范"),
    ("红色物业实务", CourseKind.ELECTIVE, "基层治理", "2", "红星物业 党支部书记", ""),
    ("网络安全与数字素养", CourseKind.ELECTIVE, "数字素养", "2", "区网信办 赵老师", ""),
    ("老年健康与防范诈骗", CourseKind.ELECTIVE, "生活常识", "2", "社区卫生服务中心 医生", ""),
    ("志愿服务技能", CourseKind.ELECTIVE, "志愿服务", "2", "阳光社工 刘社工", ""),
]

MATERIALS = [
    ("street", "学习贯彻党的二十届四中全会精神", MaterialKind.ARTICLE, 40,
     "全会审议通过了关于制定国民经济和社会发展第十五个五年规划的建议……请各支部组织党员认真学习。"),
    ("street", "党史上的今天：红船精神", MaterialKind.HISTORY, 30,
     "1921年，中国共产党第一次全国代表大会在嘉兴南湖红船上闭幕。红船精神是开天辟地、敢为人先的首创精神……"),
    ("street", "《中国共产党支部工作条例（试行）》解读", MaterialKind.DOCUMENT, 45,
     "条例对党支部的组织设置、基本任务、工作机制、组织生活作了全面规定。"),
    ("street", "微党课：做新时代合格党员", MaterialKind.VIDEO, 20, ""),
    ("xingfu", "幸福社区“红色物业”工作简报", MaterialKind.ARTICLE, 15,
     "社区党委牵头，物业公司、业委会共同议事，本季度解决停车、加装电梯等问题12件。"),
    ("xingfu", "党史专题：抗美援朝精神", MaterialKind.HISTORY, 30,
     "伟大抗美援朝精神是中国共产党人精神谱系的重要组成部分……"),
    ("xingfu_branch_1", "第一网格党支部：楼栋党小组工作手册", MaterialKind.DOCUMENT, 20,
     "楼栋党小组每月开展一次走访，记录居民诉求，及时向支部报告。"),
]

QUIZ = [
    ("党的最高理想和最终目标是什么？", QuestionKind.SINGLE, [("实现共产主义", True), ("全面建成小康社会", False),
                                                     ("实现现代化", False)]),
    ("“三会一课”中的“三会”包括哪些？", QuestionKind.MULTIPLE, [("支部党员大会", True), ("支部委员会", True),
                                                        ("党小组会", True), ("茶话会", False)]),
    ("党员应当按期交纳党费吗？", QuestionKind.SINGLE, [("应当", True), ("可以不交", False)]),
]


def _catalogue(ctx):
    today = ctx.today
    programme = Programme.objects.create(
        organization=ctx["street"], title=f"{today.year}年度党员教育培训“2+X”计划", year=today.year,
        description="两门必修（党章党规、习近平新时代中国特色社会主义思想）加若干选修，分批次、分类别开展。")
    courses = Course.objects.bulk_create([
        Course(programme=programme, title=title, kind=kind, module=module, hours=Decimal(hours), teacher=teacher,
               materials=materials)
        for title, kind, module, hours, teacher, materials in CATALOGUE])
    return programme, courses


def _training_class(ctx, programme, courses, *, name, category, starts_on, ends_on, members, sessions_held):
    required = [c for c in courses if c.kind == CourseKind.REQUIRED]
    electives = [c for c in courses if c.kind == CourseKind.ELECTIVE][:3]
    chosen = required + electives
    training_class = TrainingClass.objects.create(
        organization=ctx["xingfu"], programme=programme, name=name, category=category, starts_on=starts_on,
        ends_on=ends_on, required_hours=Decimal("12"), min_electives=1, created_by=ctx["users"]["shegong"])
    ClassCourse.objects.bulk_create([ClassCourse(training_class=training_class, course=c) for c in chosen])
    enrolments = Enrolment.objects.bulk_create([Enrolment(training_class=training_class, member=m) for m in members])
    rng = ctx.rng
    step = max((ends_on - starts_on).days // max(len(chosen), 1), 1)
    attendance = []
    for index, course in enumerate(chosen[:sessions_held]):
        session = Session.objects.create(training_class=training_class, course=course,
                                         held_on=starts_on + timedelta(days=index * step),
                                         place="幸福社区党群服务中心", hours=course.hours)
        for enrolment in enrolments:
            roll = rng.random()
            status = (AttendanceStatus.PRESENT if roll < 0.85 else
                      AttendanceStatus.LEAVE if roll < 0.95 else AttendanceStatus.ABSENT)
            attendance.append(Attendance(session=session, enrolment=enrolment, status=status,
                                         recorded_by=ctx["users"]["shegong"]))
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    return training_class


def _materials(ctx):
    owners = {"street": ctx["street"], "xingfu": ctx["xingfu"], "xingfu_branch_1": ctx["xingfu_branch_1"]}
    materials = Material.objects.bulk_create([
        Material(organization=owners[owner], title=title, kind=kind, body=body, suggested_minutes=minutes,
                 link="https://www.12371.cn/" if kind == MaterialKind.VIDEO else "",
                 published_on=ctx.today - timedelta(days=7 * (len(MATERIALS) - i)),
                 created_by=ctx["users"]["shegong"])
        for i, (owner, title, kind, minutes, body) in enumerate(MATERIALS)])
    quiz = Quiz.objects.create(material=materials[2], title="支部工作条例知识测验", pass_mark=60)
    questions = []
    for position, (text, kind, choices) in enumerate(QUIZ, start=1):
        question = Question.objects.create(quiz=quiz, text=text, kind=kind, position=position)
        Choice.objects.bulk_create([Choice(question=question, text=t, correct=ok) for t, ok in choices])
        questions.append(question)
    return materials, quiz, questions


def build(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    programme, courses = _catalogue(ctx)
    xingfu = ctx["xingfu"]
    members = list(Member.objects.filter(community=xingfu).select_related("home_org").order_by("id"))
    me = ctx["demo_member"]
    in_service = [m for m in members if m.category == MemberCategory.IN_SERVICE and m.pk != me.pk]
    retired = [m for m in members if m.category == MemberCategory.RETIRED]

    finished = _training_class(
        ctx, programme, courses, name=f"幸福社区{today.year}年第一期在职党员培训班",
        category=TraineeCategory.IN_SERVICE, starts_on=today - timedelta(days=100),
        ends_on=today - timedelta(days=40), members=[me, *in_service[:24]], sessions_held=5)
    # The demo member attended every session of the finished class.
    Attendance.objects.filter(session__training_class=finished, enrolment__member=me).update(
        status=AttendanceStatus.PRESENT)
    services.finish_training_class(training_class=finished, by=ctx["users"]["shegong"], on=finished.ends_on)
    running = _training_class(
        ctx, programme, courses, name=f"幸福社区{today.year}年第二期退休党员培训班",
        category=TraineeCategory.RETIREES, starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=60), members=retired[:30], sessions_held=2)
    Session.objects.filter(training_class=running, held_on__gt=today).update(held_on=today)
    ctx["learning_classes"] = {"finished": finished, "running": running}

    materials, quiz, questions = _materials(ctx)
    year_start = today.replace(month=1, day=1)
    records = []
    for member in [me, *members]:
        if member.home_org_id is None:
            continue
        reachable = [m for m in materials
                     if m.organization_id != ctx["xingfu_branch_1"].pk or member.home_org_id == m.organization_id]
        for material in reachable:
            if member.pk != me.pk and rng.random() > 0.45:
                continue
            if member.pk == me.pk and material in materials[-2:]:
                continue  # the two newest are left for the demo member to study
            studied_on = max(material.published_on, year_start) + timedelta(days=rng.randrange(0, 10))
            records.append(StudyRecord(
                material=material, member=member, organization=member.home_org, studied_on=min(studied_on, today),
                minutes=rng.choice([15, 20, 30, 30, 45, 60]),
                reflection=rng.choice(["", "", "深受教育，要在社区服务中践行。", "结合本职工作认真学习。",
                                       "重温入党誓词，坚定理想信念。"])))
    unique = {(r.material_id, r.member_id): r for r in records}
    StudyRecord.objects.bulk_create(list(unique.values()), batch_size=1000)

    right_answer = {q.pk: sorted(c.pk for c in q.choices.all() if c.correct) for q in questions}
    wrong_answer = {q.pk: [next(c.pk for c in q.choices.all() if not c.correct)] for q in questions}
    attempts = []
    for member in rng.sample(members, min(40, len(members))):
        right = rng.sample(questions, rng.choice([1, 2, 3, 3, 3]))
        score = round(100 * len(right) / len(questions))
        attempts.append(QuizAttempt(
            quiz=quiz, member=member, organization=member.home_org or xingfu, score=score,
            passed=score >= quiz.pass_mark,
            answers={str(q.pk): right_answer[q.pk] if q in right else wrong_answer[q.pk] for q in questions}))
    QuizAttempt.objects.bulk_create(attempts)
