"""Request and response shapes of the auth API."""
from marshmallow import Schema, fields, post_load, validate

from inspect_app.auth.models import ALL_ROLES, AUTHORITIES, DEFAULT_AUTHORITY


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200))


class UnitSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    active = fields.Boolean()
    authority = fields.String(metadata={"description": "bureau | traffic_police | housing | ecology: whose "
                                                       "penalty cases an enforcement user works on"})
    sees_all_units = fields.Boolean()
    units = fields.List(fields.Nested(UnitSchema))
    must_change_password = fields.Boolean(metadata={
        "description": "An admin set this password: every endpoint but me, logout and POST /api/auth/password "
                       "answers 403 password_change_required until the user chooses their own."})


class TokenSchema(Schema):
    token = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(UserSchema)


# --- account administration (admin API) ----------------------------------------------------------

class AccountSchema(UserSchema):
    """A user as an admin sees it: also when it was created and how many tokens still work."""

    created_at = fields.DateTime()
    live_tokens = fields.Integer()


class AccountListQuerySchema(Schema):
    active = fields.Boolean(metadata={"description": "Only active (true) or deactivated (false) accounts."})
    role = fields.String(validate=validate.OneOf(ALL_ROLES))
    unit = fields.String(validate=validate.Length(min=1, max=40), metadata={"description": "A unit code."})
    q = fields.String(validate=validate.Length(max=64),
                      metadata={"description": "Part of the username or display name."})


class NewAccountOutSchema(AccountSchema):
    one_time_password = fields.String(
        metadata={"description": "Only when the server chose the password: shown this once, never stored "
                                 "in clear or logged."})


class AccountUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=80))
    role = fields.String(validate=validate.OneOf(ALL_ROLES),
                         metadata={"description": "A change of role ends the user's sessions."})
    units = fields.List(fields.String(validate=validate.Length(min=1, max=40)), validate=validate.Length(max=8),
                        metadata={"description": "Unit codes or Chinese names; replaces the list."})


class NewAccountSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    display_name = fields.String(validate=validate.Length(min=1, max=80),
                                 metadata={"description": "Defaults to the username."})
    role = fields.String(required=True, validate=validate.OneOf(ALL_ROLES))
    password = fields.String(load_default=None, load_only=True, validate=validate.Length(min=1, max=200),
                             metadata={"description": "At least 8 characters; stored only as a hash. Left "
                                                      "out, the server chooses one and returns it once."})
    units = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list,
                        validate=validate.Length(max=8), metadata={"description": "Unit codes or Chinese names."})
    authority = fields.String(load_default=DEFAULT_AUTHORITY, validate=validate.OneOf(AUTHORITIES),
                              metadata={"description": "The authority an enforcement user works for."})

    @post_load
    def default_display_name(self, data, **kwargs):
        data.setdefault("display_name", data["username"])
        return data


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=200),
                                 metadata={"description": "At least 8 characters, not the username, not the "
                                                          "current password."})


class PasswordResetSchema(Schema):
    password = fields.String(load_default=None, load_only=True, validate=validate.Length(min=1, max=200),
                             metadata={"description": "The new password, at least 8 characters; left out, "
                                                      "the server chooses one and returns it once."})


class AuthoritySchema(Schema):
    authority = fields.String(required=True, validate=validate.OneOf(AUTHORITIES),
                              metadata={"description": "bureau (区城管执法局) | traffic_police (区交管队) | "
                                                       "housing (区住建局) | ecology (生态环境分局)"})


class UnitListSchema(UnitSchema):
    """A unit an account can be given."""


class TokensRevokedSchema(Schema):
    tokens_revoked = fields.Integer()
