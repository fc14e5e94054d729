from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.core.forms import NHSDateField, RecordsField, field_as
from openips.core.rules import declared
from openips.fidelity.models import Action, ActionStatus, Review, ReviewKind
from openips.fidelity.scale import Item, Scale
from openips.fidelity.services import ITEMS, visit_problem
from openips.organisations.models import Service

SCORES = [(str(n), str(n)) for n in range(1, 6)]


class ReviewerChoice(RecordsField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class PlanForm(forms.Form):
    service = forms.ModelChoiceField(
        Service.objects.none(), error_messages={"required": "Select the service to review"}
    )
    kind = forms.ChoiceField(
        label="Type of review",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    visit_start = NHSDateField(
        label="First day of the review visit", validators=declared(Review, "visit_start")
    )
    visit_end = NHSDateField(
        label="Last day of the review visit", validators=declared(Review, "visit_end")
    )
    reviewers = ReviewerChoice(
        User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Fidelity reviewers for an external review; team leaders or managers for a "
        "self-assessment. Each rates every item on their own.",
        error_messages={"required": "Select at least one reviewer"},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_as(self, "service", forms.ModelChoiceField).queryset = services
        field_as(self, "reviewers", ReviewerChoice).queryset = (
            User.objects.filter(
                Q(role=Role.FIDELITY_REVIEWER)
                | Q(role__in=[Role.TEAM_LEADER, Role.SERVICE_MANAGER], service__in=services)
                | Q(role=Role.SERVICE_MANAGER, organisation__services__in=services),
                is_active=True,
            )
            .distinct()
            .order_by("last_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("visit_start"), data.get("visit_end")
        if start and end and (problem := visit_problem(start, end, timezone.localdate())):
            self.add_error(*problem)
        return data


def rating_field(item: Item, required: str, help_text: str = "") -> forms.ChoiceField:
    """One item's 1 to 5 rating, as radios labelled with the item."""
    return forms.ChoiceField(
        label=f"{item.number}. {item.name}",
        choices=SCORES,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required},
    )


def with_note(description: str, note: str | None) -> str:
    """An item's hint, with the programme's different reading of it when it has one."""
    if note is None:
        return description
    reading = f"{note}: rate it as this programme delivers it."
    return f"{reading} {description}".strip()


def notes_field(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RatingsForm(forms.Form):
    """A rating and evidence for every item; every item must be rated."""

    def __init__(
        self, *args: Any, scale: Scale, modified: Mapping[int, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for number in ITEMS:
            item = scale.item(number)
            self.fields[f"rating_{number}"] = rating_field(
                item,
                f"Select a rating for item {number}, {item.name}",
                with_note(item.description, (modified or {}).get(number)),
            )
            self.fields[f"evidence_{number}"] = notes_field(f"Evidence for item {number}")

    def ratings(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {n: (int(d[f"rating_{n}"]), d[f"evidence_{n}"]) for n in ITEMS}


class AgreeForm(forms.Form):
    """The agreed rating for every item, with a rationale wherever the reviewers differed."""

    def __init__(
        self,
        *args: Any,
        scale: Scale,
        differs: set[int],
        modified: Mapping[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.differs = differs
        for number in ITEMS:
            item = scale.item(number)
            self.fields[f"rating_{number}"] = rating_field(
                item,
                f"Select the agreed rating for item {number}",
                with_note("", (modified or {}).get(number)),
            )
            self.fields[f"rationale_{number}"] = notes_field(f"Why this rating for item {number}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in self.differs:
            if not (data.get(f"rationale_{number}") or "").strip():
                self.add_error(
                    f"rationale_{number}",
                    f"Enter why you agreed this rating for item {number}: the reviewers differed",
                )
        return data

    def agreed(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {n: (int(d[f"rating_{n}"]), d[f"rationale_{n}"]) for n in ITEMS}


class ActionForm(forms.ModelForm[Action]):
    item = forms.TypedChoiceField(
        coerce=int,
        choices=[(str(n), str(n)) for n in ITEMS],
        label="Item",
        error_messages={"required": "Select the item the action is for"},
    )
    due = NHSDateField(label="Date it is due by")

    class Meta:
        model = Action
        fields = ["item", "action", "owner", "due"]
        labels = {"action": "What will be done", "owner": "Who will do it"}
        error_messages = {
            "action": {"required": "Enter what will be done"},
            "owner": {"required": "Enter who will do it"},
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    version = forms.IntegerField(widget=forms.HiddenInput)
