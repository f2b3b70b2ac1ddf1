"""Input fields that take exactly the JSON type they document, with messages in Spanish.

DRF would turn ``7`` into ``"7"``, or ``"yes"`` into ``True``; here a client that
sends the wrong type is told so. The messages are the project's (Spanish
``gettext`` strings, translated with the rest of the interface): DRF's own
catalogue is not loaded (see ``config/settings.py``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from observatorio.programs import report

BASE = {
    "required": _("Este campo es obligatorio."),
    "null": _("Este campo no admite null."),
}
TEXT = {
    **BASE,
    "invalid": _("Escriba un texto (cadena JSON)."),
    "blank": _("Este campo no puede estar en blanco."),
    "max_length": _("Escriba como máximo {max_length} caracteres."),
    "min_length": _("Escriba al menos {min_length} caracteres."),
}
NUMBER = {
    **BASE,
    "max_value": _("Escriba un número menor o igual a {max_value}."),
    "min_value": _("Escriba un número mayor o igual a {min_value}."),
    "max_string_length": _("El número es demasiado largo."),
}
LIST = {
    **BASE,
    "not_a_list": _("Se esperaba una lista, no «{input_type}»."),
    "empty": _("La lista no puede estar vacía."),
    "min_length": _("Escriba al menos {min_length} elementos."),
    "max_length": _("Escriba como máximo {max_length} elementos."),
}


class _NoSurrogates(ProhibitSurrogateCharactersValidator):
    message = _("El texto tiene un carácter no válido (U+{code_point:X}).")


class _TextOnly:
    """Refuses anything but a JSON string, with the message *not_text*, before DRF coerces it."""

    not_text = "invalid"

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail(self.not_text, input=str(data)[:80])
        return super().to_internal_value(data)


class StrictCharField(_TextOnly, serializers.CharField):
    default_error_messages = TEXT

    def __init__(self, **kwargs):
        # Whitespace is the report form's business (it collapses it where it should).
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        # DRF's own refusal of lone surrogates speaks English (its catalogue is not loaded).
        self.validators = [
            _NoSurrogates() if isinstance(v, ProhibitSurrogateCharactersValidator) else v
            for v in self.validators
        ]


#: Some text besides white space, and no NUL (PostgreSQL refuses it in text): the pattern the
#: schema declares for texts that must say something (a reviewer's comments, a reason).
SAYS_SOMETHING = r"^[^\x00]*[^\s\x00][^\x00]*$"


class RequiredTextField(StrictCharField):
    """A text that must say something: white space alone is refused with *blank_message*."""

    def __init__(self, *, blank_message, **kwargs):
        self.blank_message = blank_message
        kwargs.setdefault("validators", []).append(
            RegexValidator(SAYS_SOMETHING, message=blank_message)
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value.strip():
            raise serializers.ValidationError(self.blank_message, code="blank")
        return value


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {**NUMBER, "invalid": _("Escriba un número entero.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(serializers.IntegerField):
    """An integer in a query string (where every value is text)."""

    default_error_messages = {**NUMBER, "invalid": _("Escriba un número entero.")}


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {**BASE, "invalid": _("Escriba true o false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^[0-9]{1,14}(\.[0-9]{1,2})?$"},
            {"type": "number", "minimum": 0, "maximum": 99999999999999, "multipleOf": 0.01},
        ]
    }
)
class StrictDecimalField(serializers.DecimalField):
    """A number or a string with the number (``150000.50``); never a boolean."""

    default_error_messages = {
        **NUMBER,
        "invalid": _("Escriba un número."),
        "max_digits": _("Escriba como máximo {max_digits} dígitos en total."),
        "max_decimal_places": _("Escriba como máximo {max_decimal_places} decimales."),
        "max_whole_digits": _("Escriba como máximo {max_whole_digits} dígitos enteros."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class _ReportLength(MaxLengthValidator):
    """The schema's maxLength, refused with the report's message."""

    def __call__(self, value):
        report.check_length(value, self.limit_value)


class ReportTextField(StrictCharField):
    """A text of the report: its limit is the schema's, its message the report's own."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(max_length=limit, **kwargs)
        self.validators = [
            _ReportLength(limit) if isinstance(v, MaxLengthValidator) else v
            for v in self.validators
        ]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": report.AMOUNT_PATTERN},
            {"type": "number", "minimum": 0, "maximum": 99999999999999, "multipleOf": 0.01},
        ]
    }
)
class ReportAmountField(serializers.Field):
    """The budget: a number, or a string as written in Mexico (``"$1,500,000.50"``); the
    report's rule (:func:`observatorio.programs.report.parse_amount`) and messages judge it."""

    default_error_messages = BASE

    def to_internal_value(self, data):
        shown = report.shown(data)
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise serializers.ValidationError(report.message("not_an_amount", value=shown))
        try:
            amount = report.parse_amount(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        # What the report's rule reads but the schema does not promise (a non-breaking space
        # as a separator, «mxn»): refused, so the schema says exactly what is accepted.
        if isinstance(data, str) and data.strip() and not re.fullmatch(report.AMOUNT_PATTERN, data):
            raise serializers.ValidationError(report.message("not_an_amount", value=shown))
        return amount

    def to_representation(self, value):
        return None if value is None else format(value, "f")


class StrictDateField(_TextOnly, serializers.DateField):
    default_error_messages = {
        **BASE,
        "invalid": _("Escriba una fecha AAAA-MM-DD."),
        "datetime": _("Escriba una fecha AAAA-MM-DD, sin hora."),
    }


class StrictChoiceField(_TextOnly, serializers.ChoiceField):
    default_error_messages = {
        **BASE,
        "invalid_choice": _("«{input}» no es una de las opciones."),
        "blank": _("Este campo no puede estar en blanco."),
    }
    not_text = "invalid_choice"


class StrictListField(serializers.ListField):
    """A JSON list; with ``unique=True``, without repeated elements."""

    default_error_messages = {**LIST, "duplicates": _("Hay elementos repetidos.")}

    def __init__(self, *, unique: bool = False, **kwargs):
        self.unique = unique
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, list) and len(data) > self.max_length:
            # Before the elements: DRF checks the length after validating each of them (a
            # query per element for catalogue keys: 100,000 of them took 40 s).
            self.fail("max_length", max_length=self.max_length)
        values = super().to_internal_value(data)
        keys = [getattr(v, "pk", v) for v in values]
        if self.unique and len(keys) != len(set(keys)):
            self.fail("duplicates")
        return values


class SpanishListSerializer(serializers.ListSerializer):
    default_error_messages = LIST


class StrictSerializer(serializers.Serializer):
    """Refuse fields the operation does not take (never ignore them silently)."""

    #: Field name → message for fields that exist elsewhere but not in this operation.
    refused: dict = {}

    default_error_messages = {
        **BASE,
        "invalid": _("Se esperaba un objeto JSON, no «{datatype}»."),
        "unknown": _("Campo desconocido."),
        "no_data": _("Envíe un objeto JSON con los campos."),
    }

    class Meta:
        list_serializer_class = SpanishListSerializer

    @property
    def errors(self):
        errors = super().errors
        if getattr(errors.get(api_settings.NON_FIELD_ERRORS_KEY, [None])[0], "code", "") == "null":
            # DRF's "No data provided", for a body that is JSON null.
            errors = ReturnDict(
                {api_settings.NON_FIELD_ERRORS_KEY: [str(self.error_messages["no_data"])]},
                serializer=self,
            )
        return errors

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name in data:
                if name not in self.fields or self.fields[name].read_only:
                    errors[str(name)[:100]] = [
                        self.refused.get(name) or self.error_messages["unknown"]
                    ]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class _Resolving:
    """Check the type and range first (with the field's validators), then find the record."""

    default_error_messages = {"does_not_exist": _("No existe «%(value)s» en el catálogo.")}

    def __init__(self, *, queryset, lookup: str, **kwargs):
        self.queryset = queryset
        self.lookup = lookup
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        if value is None or value == "":
            return value
        found = self.resolve(value)
        if found is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": str(value)[:80]},
                code="does_not_exist",
            )
        return found


class LookupField(_Resolving, StrictCharField):
    """A string naming a catalogue record by one of its fields (case-insensitive)."""

    def resolve(self, value: str):
        return self.queryset.filter(**{f"{self.lookup}__iexact": value.strip()}).first()


class ResolvingIntegerField(_Resolving, StrictIntegerField):
    """An integer naming a record (an objective's number, a cycle's edition)."""

    def resolve(self, value: int):
        return self.queryset.filter(**{self.lookup: value}).first()
