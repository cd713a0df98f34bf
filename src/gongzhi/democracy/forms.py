"""Forms of the democracy pages: each lists its fields; the services decide the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Choice, ConversionProposal, ResolutionKind, VillagersBody, VotingMethod
from .quorum import QuorumRule
from .services import MAX_EXTENSION_MONTHS


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class VoteForm(forms.Form):
    """A question put to a meeting's vote: an ordinary resolution or a probationary member's conversion."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[(ResolutionKind.GENERAL, ResolutionKind.GENERAL.label),
                                                       (ResolutionKind.CONVERSION, ResolutionKind.CONVERSION.label)])
    title = forms.CharField(label=_("What is decided"), max_length=200, required=False)
    subject = forms.TypedChoiceField(label=_("Probationary member"), coerce=int, required=False, empty_value=None)
    proposal = forms.ChoiceField(label=_("Proposal"), choices=ConversionProposal.choices, required=False)
    extend_months = forms.IntegerField(label=_("Extension (months)"), min_value=1, max_value=MAX_EXTENSION_MONTHS,
                                       required=False)
    method = forms.ChoiceField(label=_("Voting method"), choices=VotingMethod.choices, initial=VotingMethod.HANDS,
                               widget=forms.RadioSelect)
    quorum_rule = forms.ChoiceField(label=_("Quorum"), choices=QuorumRule.choices, initial=QuorumRule.HALF)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0, max_value=100000, required=False)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100000, required=False)
    abstained = forms.IntegerField(label=_("Abstained"), min_value=0, max_value=100000, required=False)

    def __init__(self, *args, probationary=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—")] + [(m.pk, m.name) for m in probationary]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResolutionKind.CONVERSION and not data.get("subject"):
            self.add_error("subject", _("Choose the probationary member the vote is about."))
        if data.get("kind") == ResolutionKind.GENERAL and not data.get("title"):
            self.add_error("title", _("Say what is being decided."))
        if data.get("method") == VotingMethod.HANDS:
            for name in ("in_favour", "against", "abstained"):
                if data.get(name) is None:
                    self.add_error(name, _("Give the number of votes."))
        return data


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect)


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("approval", "Decision"), choices=[("approve", _("Approve")),
                                                               ("refuse", _("Do not approve"))],
                                 widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date of the approval"), widget=_date_input(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note (the reason, when not approved)"), max_length=300, required=False)


class MatterForm(forms.Form):
    title = forms.CharField(label=_("Matter"), max_length=120)
    description = forms.CharField(label=_("What it is about"), max_length=5000, widget=forms.Textarea)


class StepForm(forms.Form):
    """The next step of a matter; the fields a step does not use are ignored."""

    held_on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    minutes = forms.CharField(label=_("Minutes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    meeting = forms.TypedChoiceField(label=_("The village's party members' meeting"), coerce=int, required=False,
                                     empty_value=None,
                                     help_text=_("Its roll (meetings) says who was present; the step takes its "
                                                 "date."))
    body = forms.ChoiceField(label=_("Deciding meeting"), choices=[("", "—"), *VillagersBody.choices],
                             required=False)
    attendees = forms.IntegerField(label=_("Present"), min_value=0, max_value=100000, required=False)
    in_favour = forms.IntegerField(label=_("In favour"), min_value=0, max_value=100000, required=False)
    against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100000, required=False)
    abstained = forms.IntegerField(label=_("Abstained"), min_value=0, max_value=100000, required=False)
    file = forms.FileField(label=_("Attachment (photo or PDF)"), required=False)

    def __init__(self, *args, step: int | None = None, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["meeting"].choices = [(m.pk, f"{m.date:%Y-%m-%d} {m.topic}") for m in meetings]
        keep = {"held_on", "minutes", "file"}
        if step == 3:
            keep = (keep - {"held_on"}) | {"meeting", "in_favour", "against", "abstained"}
        elif step == 4:
            keep |= {"body", "attendees", "in_favour", "against", "abstained"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in ("in_favour", "against", "abstained", "attendees", "body", "meeting"):
            if name in self.fields:
                self.fields[name].required = True


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))


class TermForm(forms.Form):
    starts_on = forms.DateField(label=_("Term starts"), widget=_date_input())
    years = forms.IntegerField(label=_("Years (empty: 5 for a community or village, 3 for a branch)"), min_value=1,
                               max_value=5, required=False)


class PostponeForm(forms.Form):
    until = forms.DateField(label=_("Election postponed until"), widget=_date_input())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ElectionForm(forms.Form):
    seats = forms.IntegerField(label=_("Seats on the committee"), min_value=1, max_value=15,
                               help_text=_("A branch: a secretary alone (1) or a committee of 3 to 7 (from 7 full "
                                           "members). A community or village: 3 to 15."))


class CandidateForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Candidate"), coerce=int)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]


class MonitorForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    duty = forms.ChoiceField(label=_("Duty"), choices=[])

    def __init__(self, *args, members=(), **kwargs):
        from .models import MonitorDuty

        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]
        self.fields["duty"].choices = MonitorDuty.choices


class RoundForm(forms.Form):
    meeting = forms.TypedChoiceField(label=_("Meeting"), coerce=int)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [(m.pk, f"{m.date:%Y-%m-%d} {m.topic}") for m in meetings]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("approval", "Decision"),
                                 choices=[("approve", _("Approve the list")), ("return", _("Return it"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class InstallForm(forms.Form):
    secretary = forms.TypedChoiceField(label=_("Secretary"), coerce=int,
                                       help_text=_("Chosen by the new committee among its members."))
    deputy = forms.TypedChoiceField(label=_("Deputy secretary"), coerce=int, required=False, empty_value=None)
    starts_on = forms.DateField(label=_("The new term starts"), widget=_date_input())

    def __init__(self, *args, elected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].choices = [(m.pk, m.name) for m in elected]
        self.fields["deputy"].choices = [("", "—")] + [(m.pk, m.name) for m in elected]
        self.initial.setdefault("starts_on", timezone.localdate())


class ElectionBallotForm(forms.Form):
    """One radio group per candidate: for, against, abstain."""

    def __init__(self, *args, candidates=(), **kwargs):
        from .models import Mark

        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"c{candidate.pk}"] = forms.ChoiceField(label=candidate.member.name, choices=Mark.choices,
                                                                 widget=forms.RadioSelect)

    def marks(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}
