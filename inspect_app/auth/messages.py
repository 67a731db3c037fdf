"""User-facing strings of the auth feature (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "invalid_credentials": ("用户名或密码错误。", "Wrong username or password."),
    "user_inactive": ("该账号已停用。", "This account is deactivated."),
    "username_taken": ("用户名已存在。", "That username is already taken."),
    "unknown_unit": ("未知的街道/镇：{unit}。", "Unknown unit: {unit}."),
    "unknown_role": ("未知角色：{role}。", "Unknown role: {role}."),
    "weak_password": ("密码至少需要 8 个字符。", "The password needs at least 8 characters."),
    "current_password_wrong": ("当前密码不正确。", "The current password is wrong."),
    "password_unchanged": ("新密码不能与当前密码相同。", "The new password must differ from the current one."),
    "password_is_username": ("密码不能与用户名相同。", "The password must not be the username."),
    "password_change_required": ("请先修改管理员为你设置的密码，再继续使用。",
                                 "Choose your own password first: the one an administrator set must be changed."),
    "unknown_user": ("没有用户名为 {username} 的账号。", "There is no account with the username {username}."),
    "cannot_deactivate_self": ("不能停用自己正在使用的账号。", "You cannot deactivate your own account."),
    "cannot_change_own_role": ("不能更改自己账号的角色。", "You cannot change the role of your own account."),
    "unknown_authority": ("未知的执法机关：{authority}（可用：{allowed}）。",
                          "Unknown authority: {authority} (allowed: {allowed})."),
}
register_messages(MESSAGES)
