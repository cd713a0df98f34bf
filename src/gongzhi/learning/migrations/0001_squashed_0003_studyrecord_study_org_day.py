"""The learning app's migrations 0001_initial … 0003_studyrecord_study_org_day in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.
"""

import django.db.models.deletion
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('learning', '0001_initial'), ('learning', '0002_material_withdrawn_on'), ('learning', '0003_studyrecord_study_org_day')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Programme',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='title')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('description', models.TextField(blank=True, max_length=2000, verbose_name='description')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='orgs.organization', verbose_name='published by')),
                ],
                options={
                    'verbose_name': 'training programme',
                    'verbose_name_plural': 'training programmes',
                    'ordering': ['-year', 'title'],
                },
            ), migrations.CreateModel(
                name='Course',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='title')),
                    ('kind', models.CharField(choices=[('required', 'Required'), ('elective', 'Elective')], max_length=16, verbose_name='kind')),
                    ('module', models.CharField(help_text='The subject area the hours count towards, e.g. 党章党规.', max_length=50, verbose_name='module')),
                    ('hours', models.DecimalField(decimal_places=1, max_digits=4, verbose_name='hours')),
                    ('teacher', models.CharField(blank=True, max_length=50, verbose_name='teacher')),
                    ('materials', models.TextField(blank=True, help_text='Reading list and links, one per line.', max_length=4000, verbose_name='materials')),
                    ('file', models.FileField(blank=True, upload_to='learning/courses/', verbose_name='file')),
                    ('file_name', models.CharField(blank=True, max_length=200)),
                    ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='courses', to='learning.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'course',
                    'verbose_name_plural': 'courses',
                    'ordering': ['programme', 'kind', 'title'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='course_hours_positive')],
                },
            ), migrations.CreateModel(
                name='Material',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='title')),
                    ('kind', models.CharField(choices=[('article', 'Article'), ('document', 'Document'), ('video', 'Video'), ('history', 'Party history topic')], max_length=16, verbose_name='kind')),
                    ('body', models.TextField(blank=True, max_length=20000, verbose_name='text')),
                    ('link', models.URLField(blank=True, help_text='Video or document address.', verbose_name='link')),
                    ('suggested_minutes', models.PositiveSmallIntegerField(default=30, verbose_name='suggested minutes')),
                    ('published_on', models.DateField(verbose_name='published')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='study_materials', to='orgs.organization', verbose_name='published by')),
                    ('withdrawn_on', models.DateField(blank=True, help_text='Withdrawn materials leave the lists; their study records stay.', null=True, verbose_name='withdrawn')),
                ],
                options={
                    'verbose_name': 'study material',
                    'verbose_name_plural': 'study materials',
                    'ordering': ['-published_on', '-id'],
                },
            ), migrations.CreateModel(
                name='Quiz',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='title')),
                    ('pass_mark', models.PositiveSmallIntegerField(default=60, verbose_name='pass mark (%)')),
                    ('material', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='quiz', to='learning.material')),
                ],
                options={
                    'verbose_name': 'quiz',
                    'verbose_name_plural': 'quizzes',
                    'constraints': [models.CheckConstraint(condition=models.Q(('pass_mark__gte', 1), ('pass_mark__lte', 100)), name='quiz_pass_mark_range')],
                },
            ), migrations.CreateModel(
                name='Question',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.CharField(max_length=300, verbose_name='question')),
                    ('kind', models.CharField(choices=[('single', 'Single choice'), ('multiple', 'Multiple choice')], default='single', max_length=8, verbose_name='kind')),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                    ('quiz', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='learning.quiz')),
                ],
                options={
                    'ordering': ['position', 'id'],
                },
            ), migrations.CreateModel(
                name='TrainingClass',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('category', models.CharField(choices=[('new_members', 'New members'), ('branch_secretaries', 'Branch secretaries'), ('in_service', 'In-service members'), ('retirees', 'Retired members'), ('mobile', 'Mobile members'), ('village_cadres', 'Village cadres')], max_length=24, verbose_name='category of members')),
                    ('starts_on', models.DateField(verbose_name='starts')),
                    ('ends_on', models.DateField(verbose_name='ends')),
                    ('required_hours', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='required hours')),
                    ('min_electives', models.PositiveSmallIntegerField(default=0, verbose_name='electives to complete')),
                    ('finished_on', models.DateField(blank=True, null=True, verbose_name='finished')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_classes', to='orgs.organization', verbose_name='organized by')),
                    ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='classes', to='learning.programme', verbose_name='programme')),
                ],
                options={
                    'verbose_name': 'training class',
                    'verbose_name_plural': 'training classes',
                    'ordering': ['-starts_on', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='class_ends_after_start'), models.CheckConstraint(condition=models.Q(('required_hours__gt', 0)), name='class_required_hours_positive')],
                },
            ), migrations.CreateModel(
                name='ClassCourse',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='learning.course')),
                    ('training_class', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='class_courses', to='learning.trainingclass')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('training_class', 'course'), name='class_course_once')],
                },
            ), migrations.CreateModel(
                name='Enrolment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed')),
                    ('certificate_number', models.CharField(blank=True, max_length=40, verbose_name='certificate number')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='members.member', verbose_name='member')),
                    ('training_class', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrolments', to='learning.trainingclass', verbose_name='training class')),
                ],
                options={
                    'verbose_name': 'enrolment',
                    'verbose_name_plural': 'enrolments',
                    'ordering': ['training_class', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('training_class', 'member'), name='enrol_once')],
                },
            ), migrations.CreateModel(
                name='Choice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.CharField(max_length=200, verbose_name='choice')),
                    ('correct', models.BooleanField(default=False)),
                    ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='choices', to='learning.question')),
                ],
                options={
                    'ordering': ['id'],
                },
            ), migrations.CreateModel(
                name='QuizAttempt',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('score', models.PositiveSmallIntegerField(verbose_name='score (%)')),
                    ('passed', models.BooleanField(verbose_name='passed')),
                    ('answers', models.JSONField(default=dict)),
                    ('taken_at', models.DateTimeField(auto_now_add=True)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='quiz_attempts', to='members.member')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization')),
                    ('quiz', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempts', to='learning.quiz')),
                ],
                options={
                    'ordering': ['-taken_at', '-id'],
                },
            ), migrations.CreateModel(
                name='Session',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('held_on', models.DateField(verbose_name='date')),
                    ('place', models.CharField(blank=True, max_length=100, verbose_name='place')),
                    ('hours', models.DecimalField(decimal_places=1, max_digits=4, verbose_name='hours')),
                    ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='learning.course', verbose_name='course')),
                    ('training_class', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='learning.trainingclass', verbose_name='training class')),
                ],
                options={
                    'verbose_name': 'session',
                    'verbose_name_plural': 'sessions',
                    'ordering': ['held_on', 'id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='session_hours_positive')],
                },
            ), migrations.CreateModel(
                name='Attendance',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('present', 'Present'), ('leave', 'On leave'), ('absent', 'Absent')], max_length=8, verbose_name='attendance')),
                    ('recorded_at', models.DateTimeField(auto_now=True)),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='learning.enrolment')),
                    ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='learning.session')),
                ],
                options={
                    'verbose_name': 'attendance',
                    'verbose_name_plural': 'attendance',
                    'constraints': [models.UniqueConstraint(fields=('session', 'enrolment'), name='attendance_once')],
                },
            ), migrations.CreateModel(
                name='StudyRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('studied_on', models.DateField(verbose_name='studied on')),
                    ('minutes', models.PositiveSmallIntegerField(verbose_name='minutes spent')),
                    ('reflection', models.CharField(blank=True, max_length=500, verbose_name='reflection')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('material', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='learning.material')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='study_records', to='members.member')),
                    ('organization', models.ForeignKey(help_text="The member's branch when studying (for scoping and figures).", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization')),
                ],
                options={
                    'verbose_name': 'study record',
                    'verbose_name_plural': 'study records',
                    'ordering': ['-studied_on', '-id'],
                    'indexes': [models.Index(fields=['organization', 'studied_on'], name='study_org_day')],
                    'constraints': [models.UniqueConstraint(fields=('material', 'member'), name='study_once_per_material'), models.CheckConstraint(condition=models.Q(('minutes__gt', 0), ('minutes__lte', 600)), name='study_minutes_range')],
                },
            )],
        ),
        migrations.AddField(
            model_name='trainingclass',
            name='courses',
            field=models.ManyToManyField(related_name='classes', through='learning.ClassCourse', to='learning.course'),
        ),
    ]
