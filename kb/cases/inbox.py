"""The inbox of the online receiver: applications sent from the 申请指导 page, kept until staff
import them into cases (``ipwatch case inbox``).

Each submission is one folder ``<data>/inbox/<receipt>/`` (mode 0700, files 0600), written
whole in a hidden folder and renamed into place, so a crash leaves no half submission:

- ``application.json`` — the checked application without the contact person's data;
- ``contact.json`` — the contact person, e-mail, phone and address, kept apart (as in the case
  store's ``case_contacts``) and never listed;
- ``meta.json`` — received time, the lookup code's salted SHA-256 (the code itself is shown once,
  to the sender), the attachments (stored as ``files/NN.<kind>``, never under the sent name);
- ``imported.json`` — written when staff import it: the case number; ``contact.json`` is then
  deleted (the case store keeps the contact data under its retention rule).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from kb.cases import form, formcheck, workdays
from kb.cases import workflow as cases
from kb.cases.attachments import Attachment
from kb.core.errors import IpwatchError
from kb.core.store import Store, utcnow
from kb.disputes.records import add_dispute

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read over the phone
RECEIPT = re.compile(r"W\d{8}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}")
WAITING = "已收到，等待受理"


def inbox_dir(settings) -> Path:
    return settings.data_dir / "inbox"


def _new_receipt(now: datetime) -> str:
    day = workdays.local_date(now.isoformat()).strftime("%Y%m%d")
    return f"W{day}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def _code_hash(code: str, salt: bytes) -> str:
    # One salted SHA-256, not a slow password hash: the code is random (10 of 31 characters,
    # ~50 bits), guessing it online is rate-limited, and whoever can read the inbox already
    # has the submission. PBKDF2 (200,000 rounds) cost 0.55 s per submission here.
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(salt + normal.encode()).hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def _split(clean: dict) -> tuple[dict, dict]:
    contact = {k: clean[k] for k in form.CONTACT_KEYS}
    return {k: v for k, v in clean.items() if k not in form.CONTACT_KEYS}, contact


def _fill(folder: Path, clean: dict, files: list[Attachment], code: str, receipt: str) -> None:
    application, contact = _split(clean)
    salt = secrets.token_bytes(16)
    meta = {
        "receipt": receipt, "received_at": utcnow(), "code_salt": salt.hex(),
        "code_hash": _code_hash(code, salt),
        "attachments": [{"file": f"files/{n:02d}.{a.kind}", "name": a.name, "kind": a.kind,
                         "bytes": len(a.data), "sha256": hashlib.sha256(a.data).hexdigest()}
                        for n, a in enumerate(files, start=1)],
    }
    os.mkdir(folder / "files", 0o700)
    for entry, attachment in zip(meta["attachments"], files):
        _write_private(folder / entry["file"], attachment.data)
    _write_private(folder / "application.json", _json_bytes(application))
    _write_private(folder / "contact.json", _json_bytes(contact))
    _write_private(folder / "meta.json", _json_bytes(meta))


def _free_receipt(root: Path) -> str:
    while True:  # 31^6 receipts a day: a clash is rare, and then the next draw is taken
        receipt = _new_receipt(datetime.now(timezone.utc))
        if not (root / receipt).exists():
            return receipt


def store_submission(settings, clean: dict, files: list[Attachment]) -> tuple[str, str]:
    """Store one checked application and its attachments; (receipt number, lookup code)."""
    root = inbox_dir(settings)
    code, staging = new_code(), None
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))  # mode 0700
        receipt = _free_receipt(root)
        _fill(staging, clean, files, code, receipt)
        os.rename(staging, root / receipt)  # refuses to replace an existing folder
    except OSError as exc:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        raise IpwatchError(f"无法保存提交的申请：{exc.strerror or exc}") from None
    return receipt, code


def _folder(settings, receipt: str) -> Path:
    if not RECEIPT.fullmatch(receipt or ""):
        raise IpwatchError(f"回执编号「{receipt}」格式不对，应如 W20261202-7KQ3MZ")
    folder = inbox_dir(settings) / receipt
    if not (folder / "meta.json").is_file():
        raise IpwatchError(f"收件箱中没有回执编号为「{receipt}」的申请")
    return folder


def _read(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def code_matches(settings, receipt: str, code: str) -> bool:
    """True when ``code`` is the lookup code of ``receipt`` (constant-time compare)."""
    try:
        meta = _read(_folder(settings, receipt), "meta.json")
    except IpwatchError:
        return False
    given = _code_hash(code or "", bytes.fromhex(meta["code_salt"]))
    return hmac.compare_digest(given, meta["code_hash"])


def imported_case(settings, receipt: str) -> str:
    path = _folder(settings, receipt) / "imported.json"
    return json.loads(path.read_text(encoding="utf-8"))["case"] if path.is_file() else ""


def stage_of(store: Store, settings, receipt: str) -> str:
    """The stage shown to the sender: waiting, or the case's status label — nothing more."""
    number = imported_case(settings, receipt)
    if not number:
        return WAITING
    return cases.STATUS_LABELS[cases.get_case(store, number)["status"]]


def list_inbox(settings) -> list[dict]:
    """Every submission, oldest first: receipt, time, attachments, case (no applicant data)."""
    root = inbox_dir(settings)
    rows = []
    for folder in sorted(root.glob("W*")) if root.is_dir() else []:
        if not RECEIPT.fullmatch(folder.name) or not (folder / "meta.json").is_file():
            continue
        meta = _read(folder, "meta.json")
        rows.append({"receipt": folder.name, "received_at": meta["received_at"],
                     "attachments": len(meta["attachments"]), "folder": str(folder),
                     "case": imported_case(settings, folder.name)})
    return sorted(rows, key=lambda r: r["received_at"])


def import_submission(store: Store, settings, receipt: str, *, actor: str,
                      department: str) -> dict:
    """Import one submission into a case (checked again); {receipt, number, created}."""
    settings.department(department)
    folder = _folder(settings, receipt)
    if imported_case(settings, receipt):
        return {"receipt": receipt, "number": imported_case(settings, receipt), "created": False}
    data = {**_read(folder, "application.json"), **_read(folder, "contact.json")}
    clean = formcheck.validate_application(data)
    at = _read(folder, "meta.json")["received_at"]
    with store.write() as conn:
        number, created = cases.insert_case(conn, clean, source="online", department=department,
                                            actor=actor, at=at)
        if created:
            add_dispute(conn, cases.dispute_record_of(conn, number))
    _write_private_atomic(folder / "imported.json", {"case": number, "imported_at": utcnow()})
    # the contact data now live in the case store, under its retention rule: no second copy
    (folder / "contact.json").unlink(missing_ok=True)
    return {"receipt": receipt, "number": number, "created": created}


def discard(settings, receipt: str) -> None:
    """Delete a submission that will not be imported (spam, a test, a duplicate sent twice)."""
    folder = _folder(settings, receipt)
    if imported_case(settings, receipt):
        raise IpwatchError(f"回执 {receipt} 已导入为案件 {imported_case(settings, receipt)}，"
                           f"请按案件办理，不能从收件箱删除")
    shutil.rmtree(folder)


def _write_private_atomic(path: Path, value: dict) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _write_private(tmp, _json_bytes(value))
    os.replace(tmp, path)
