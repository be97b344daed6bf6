"""One error hierarchy: each error carries its code (DESIGN.md §4), HTTP status and a Chinese
message a clerk can act on. `web.errors` turns any of them into JSON or a page."""

from __future__ import annotations

from typing import Any


class ArchiveError(Exception):
    code = "ERROR"
    status = 400
    default_message = "操作未能完成。"

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        self.message = message or self.default_message
        self.extra = extra
        super().__init__(f"{self.code}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}


def _error(code: str, status: int, message: str) -> type[ArchiveError]:
    return type(code.title().replace("_", "") + "Error", (ArchiveError,),
                {"code": code, "status": status, "default_message": message})


EmptyFile = _error("EMPTY_FILE", 400, "上传的文件是空的（0 字节），请检查后重新选择文件。")
Validation = _error("VALIDATION", 400, "填写的信息有误，请检查后重新提交。")
TooLarge = _error("TOO_LARGE", 413, "文件超过了允许的大小上限。")
UnsupportedType = _error("UNSUPPORTED_TYPE", 415, "该文件格式不能归档。")
TypeMismatch = _error("TYPE_MISMATCH", 415, "文件扩展名与文件实际内容不符。")
Encrypted = _error("ENCRYPTED", 422, "文件已加密或设有密码，档案中不能保存加密文件，请先解除加密。")
Corrupt = _error("CORRUPT", 422, "文件已损坏或不完整，无法打开。")
ArchiveBomb = _error("ARCHIVE_BOMB", 422, "文件解压后体积异常（疑似压缩炸弹），已拒收。")
ExternalReference = _error("EXTERNAL_REFERENCE", 422,
                           "文件中含有指向文件以外的链接（外部图片、模板、域或数据连接），已拒收。")
Duplicate = _error("DUPLICATE", 409, "同一文件已经归档，不能重复归档。")
WrongCustodian = _error("WRONG_CUSTODIAN", 409, "该文件不属于本单位保管。")
Unauthenticated = _error("UNAUTHENTICATED", 401, "请先登录。")
Forbidden = _error("FORBIDDEN", 403, "您没有执行此操作的权限。")
NotFound = _error("NOT_FOUND", 404, "没有找到要访问的内容。")
Conflict = _error("CONFLICT", 409, "操作与现有数据冲突。")
Unavailable = _error("UNAVAILABLE", 503, "所需的服务暂时不可用。")
ContentDamaged = _error("CONTENT_DAMAGED", 500,
                        "该文件在存储中已被改动或损坏（校验值与归档时不符），为保证真实性不予提供。")
# Answers of the web layer itself (web/errors.py): a request HTTP refuses before any view runs, a
# method the route does not take, and an unexpected failure (logged, nothing half-written).
BadRequest = _error("BAD_REQUEST", 400, "请求有误。")
MethodNotAllowed = _error("METHOD_NOT_ALLOWED", 405, "不支持该请求方式。")
Internal = _error("INTERNAL", 500, "系统内部错误，操作没有完成。请稍后重试或联系管理员。")

ALL_ERRORS: tuple[type[ArchiveError], ...] = (
    EmptyFile, Validation, TooLarge, UnsupportedType, TypeMismatch, Encrypted, Corrupt,
    ArchiveBomb, ExternalReference, Duplicate, WrongCustodian, Unauthenticated, Forbidden, NotFound, Conflict,
    Unavailable, BadRequest, MethodNotAllowed, Internal, ContentDamaged,
)
