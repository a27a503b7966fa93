"""申请指导: who may apply, the materials, the steps, the contacts (附件2), the personal-
information notice, the fillable form of 附件1 and the blank Word form.

The form's HTML is produced here from ``kb.cases.form``; the browser checks it with
``assets/intake-form.js`` over the same schema, embedded in the page as JSON. Nothing the
applicant types leaves the browser: the page has no server side.
"""
from __future__ import annotations

import html
from urllib.parse import urlsplit

from kb.cases import form, formdocx

from kb.core import choices, docxutil
from ipwatch.pages.common import tel_link
from kb.cases import service

WORD_FORM = "intake/application-form.docx"
NOTICE_TITLE = "《关于加强知识产权海外维权援助建立涉外企业知识产权纠纷信息采集渠道和协调解决机制的通知》"
LAW_DATABASE = "https://flk.npc.gov.cn/"

MATERIALS = [
    ("主体资格证明文件", "例如公司营业执照正副本、个人身份证以及个体工商户营业执照"),
    ("涉案知识产权文件", "例如涉案专利文本、涉案商标注册证、版权登记证书等"),
    ("涉案法律文件", "例如律师函、起诉状、行政机关通知等"),
    ("其他材料", "与纠纷有关的其他材料"),
]
def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _choice_inputs(f: form.Field) -> str:
    kind = "checkbox" if f.multiple else "radio"
    parts = []
    for c in f.choices:
        ident = f"ipw-{f.key}-{c.code}"
        parts.append(
            f'<label class="ipw-choice" for="{ident}"><input type="{kind}" id="{ident}" '
            f'name="{f.key}" value="{_e(c.code)}"> {_e(c.label)}</label>'
        )
        if c.code == "other" and f.other_key:
            other = form.BY_KEY[f.other_key]
            hint = f"（{other.hint}）" if other.hint else ""
            parts.append(
                f'<input type="text" class="ipw-other" name="{other.key}" id="ipw-{other.key}" '
                f'aria-label="{_e(other.label)}" placeholder="请填写{hint}">'
            )
    return "".join(parts)


COUNTED = 500  # fields this long or longer show a character counter


def _described(f: form.Field) -> str:
    ids = ([f"ipw-hint-{f.key}"] if f.hint else []) + (
        [f"ipw-count-{f.key}"] if f.max_len >= COUNTED else [])
    return f' aria-describedby="{" ".join(ids)}"' if ids else ""


def _counter(f: form.Field) -> str:
    if f.max_len < COUNTED:
        return ""
    return (f'<p class="ipw-counter" id="ipw-count-{f.key}" data-count-for="{f.key}"'
            f' data-max="{f.max_len}">已填 0 字，最多 {f.max_len} 字</p>')


def _text_input(f: form.Field) -> str:
    ident = f"ipw-{f.key}"
    if f.kind == "textarea":
        return (f'<textarea id="{ident}" name="{f.key}" rows="6"{_described(f)}></textarea>'
                f"{_counter(f)}")
    kind = {"email": "email", "phone": "tel", "date": "date"}.get(f.kind, "text")
    auto = {"contact_name": "name", "contact_email": "email", "contact_phone": "tel",
            "address": "street-address", "applicant_name": "organization"}.get(f.key, "off")
    return (f'<input type="{kind}" id="{ident}" name="{f.key}" autocomplete="{auto}"'
            f'{_described(f)}>{_counter(f)}')


def _field_html(f: form.Field) -> str:
    need = '<span class="ipw-required" title="必填">*</span>' if f.required else ""
    label = f"{f.group}（{f.label}）" if f.group else f.label
    hint = f'<span class="ipw-hint" id="ipw-hint-{f.key}">{_e(f.hint)}</span>' if f.hint else ""
    errors = f'<p class="ipw-error" id="ipw-err-{f.key}" data-error-for="{f.key}" hidden></p>'
    if f.choices:
        described = f' aria-describedby="ipw-hint-{f.key}"' if f.hint else ""
        body = (f'<fieldset{described}><legend>{_e(label)}{need}</legend>{_choice_inputs(f)}{hint}'
                f'</fieldset>')
        if f.other_key:
            errors += (f'<p class="ipw-error" id="ipw-err-{f.other_key}"'
                       f' data-error-for="{f.other_key}" hidden></p>')
    else:
        body = f'<label for="ipw-{f.key}">{_e(label)}{need}</label>{hint}{_text_input(f)}'
    return f'<div class="ipw-field" data-field="{f.key}">{body}{errors}</div>'


DRAFT_BAR = (
    '<div id="ipw-draft" class="ipw-draft">'
    '<p id="ipw-draft-text" role="status">填写的内容自动保存在本浏览器中（不发送到任何服务器），'
    '导出申请书文件或点“清除草稿”后删除。在公用电脑上填写的，离开前请清除草稿。</p>'
    '<button type="button" id="ipw-draft-clear" class="md-button">清除草稿</button>'
    '<p class="ipw-load"><label for="ipw-load">修改已导出的申请书：载入申请书文件（.json）</label>'
    '<input type="file" id="ipw-load" accept=".json,application/json"></p>'
    '<p id="ipw-load-status" class="ipw-status" role="status"></p></div>'
)


def _online_box(settings) -> str:
    """The optional online submission (only when the bureau runs the receiver)."""
    url = settings["intake"]["receiver_url"]
    if not url:
        return ""
    r = settings["receiver"]
    return (
        f'<fieldset id="ipw-online" class="ipw-online" data-receiver="{_e(url)}">'
        "<legend>在线提交申请书和材料</legend>"
        f'<label for="ipw-attachments">材料（PDF、JPEG、PNG 或 Word 文件，最多 {r["max_files"]} 个，'
        f'每个不超过 {r["max_file_bytes"] // (1024 * 1024)} MB）</label>'
        '<input type="file" id="ipw-attachments" multiple accept=".pdf,.jpg,.jpeg,.png,.docx">'
        '<button type="button" id="ipw-submit-online" class="md-button" disabled>在线提交</button>'
        '<div id="ipw-receipt" class="ipw-receipt" role="status"></div></fieldset>'
    )


def form_html(settings=None) -> str:
    """The fillable form, one HTML block (no blank line, so Markdown leaves it alone)."""
    others = set(form.other_fields())
    fields = "".join(_field_html(f) for f in form.FIELDS if f.key not in others)
    schema = form.schema_json().replace("</", "<\\/")
    return (
        f'<script type="application/json" id="ipw-form-schema">{schema}</script>'
        f"{DRAFT_BAR}"
        '<div id="ipw-summary" class="ipw-summary" role="alert" tabindex="-1" hidden></div>'
        f'<form id="ipw-form" class="ipw-form" novalidate autocomplete="on">{fields}'
        '<div class="ipw-actions"><button type="submit" id="ipw-check" class="md-button md-button--primary">检查填写内容</button>'
        '<button type="button" id="ipw-export" class="md-button" disabled>导出申请书文件（.json）</button>'
        '<button type="button" id="ipw-print-button" class="md-button" disabled>打印申请书（A4）</button></div>'
        '<p id="ipw-status" class="ipw-status" aria-live="polite"></p>'
        f'{_online_box(settings) if settings else ""}</form>'
        '<div id="ipw-print" class="ipw-print"></div>'
        '<script src="../assets/intake-form.js"></script>'
    )


def sending(settings) -> list[str]:
    """How to send the form, next to the buttons: to whom, where, when, what, and then what."""
    intake = settings["intake"]
    hours = (f"办公时间：{intake['office_hours']}。" if intake["office_hours"]
             else "送达前请先致电，约定送达时间。")
    lines = [
        "### 怎样报送",
        "",
        "1. 检查通过后点“打印申请书（A4）”，在末行“申请人（签字或盖章）”处签字或盖章，写明日期；"
        "申请事项、影响预估篇幅不够的，可另附页。",
        "2. 准备材料：主体资格证明文件、涉案知识产权文件、涉案法律文件和其他材料（见上文“需要报送的材料”）。",
        "3. 把签字（盖章）的申请书和材料，连同导出的申请书文件（.json，可存入U盘，便于工作人员录入），"
        f"报送区市场监管局、区版权局、区工信局。{hours}",
        "",
    ]
    for dept in settings["departments"]:
        lines.append(f"    - **{dept['name']}**：{dept['address']}，电话 {tel_link(dept['phone'])}")
    lines += ["", "4. 报送后请拨打上述电话，及时沟通有关情况。", ""]
    if intake["email"]:
        lines += [f"也可以发送电子邮件到 [{intake['email']}](mailto:{intake['email']})，附上导出的申请书文件"
                  "（.json）、签字（盖章）后申请书的扫描件或照片，以及材料。", ""]
    if intake["receiver_url"]:
        lines += ["也可以用上面的“在线提交”直接提交申请书和材料：提交后会显示回执编号和查询码，"
                  f"凭两者可在[查询办理进度]({intake['receiver_url']}status)查看办理到哪一环节。", ""]
    lines += ["### 提交以后", "", service.who_calls(settings),
              "各环节的办理时限见上文“办理步骤”。", ""]
    return lines


def _contacts(settings) -> list[str]:
    lines = []
    for number, dept in enumerate(settings["departments"], start=1):
        lines.append(f"{number}. **{dept['name']}**  ")
        lines.append(f"   地址：{dept['address']}  ")
        lines.append(f"   电话：{dept['phone']}")
    return lines


def _steps(settings) -> list[str]:
    lines = ["| 环节 | 内部办理时限 |", "|---|---|"]
    lines += [f"| {step} | {days} 个工作日 |" for step, days in service.next_steps(settings)]
    return lines


def _jump(settings) -> list[str]:
    """At the top (read on a phone): straight to the form, the Word form, the phone."""
    dept = service.lead_department(settings)
    return [
        f"[直接在线填写](#ipw-draft){{ .md-button .md-button--primary }} "
        f"[下载 Word 申请书]({WORD_FORM.split('/')[-1]}){{ .md-button }} "
        f"咨询电话 {tel_link(dept['phone'])}",
        "",
    ]


def _where_data_go(settings) -> str:
    if settings["intake"]["receiver_url"]:
        return ("填写的内容只保存在您的浏览器中；只有您点“在线提交”时，申请书和材料才发送到本局的接收服务，"
                "存放在本局办公电脑中。")
    return "填写的内容只保存在您的浏览器中，本网站不接收、不保存任何数据。"


def page(settings) -> str:
    office = settings["office"]
    kinds = "、".join(c.label for c in choices.APPLICANT_TYPES)
    lines = [
        "# 海外知识产权纠纷应对指导申请",
        "",
        f"依据{office['notice_number']}{NOTICE_TITLE}，"
        "我区涉外企业遇到海外知识产权纠纷，需要区市场监管局、区版权局、区工信局予以协调处理的，"
        "可以填写《海外知识产权纠纷应对指导申请书》，连同材料报送三部门。",
        "",
        *_jump(settings),
        "## 谁可以申请",
        "",
        "我区涉外企业，包括进出口企业、外贸企业、中外合资经营企业与外国企业合作生产、合作经营的企业"
        "和在我区境内生产经营的外资企业等，涉及国外知识产权保护或维权援助事项的；中小微企业是重点援助对象。"
        f"申请书中的申请人类别为：{kinds}。",
        "",
        "## 需要报送的材料",
        "",
        "1. 《海外知识产权纠纷应对指导申请书》（在本页填写后打印，或下载 Word 申请书填写）；",
    ]
    lines += [f"{i}. {name}（{example}）；" for i, (name, example) in enumerate(MATERIALS, start=2)]
    lines += [
        "",
        "报送后请拨打下列部门电话，及时沟通有关情况。",
        "",
        "## 办理步骤",
        "",
        "1. 三部门收到申请书后作出受理决定；材料不全的，通知补充材料；不予受理的，告知理由。",
        "2. 受理后主动与申请人对接，在充分沟通了解具体需求的基础上，共同会商研究。",
        "3. 出具《海外知识产权纠纷应对行政指导意见书》，指导应对海外知识产权纠纷。",
        "4. 涉及知识产权疑难事项以及产业发展或经济安全的重要国际化贸易知识产权事项，"
        "区市场监督管理局协调区版权局、区工信局作为重大涉外知识产权纠纷信息，联系通报省、市级有关部门"
        "或国家海外知识产权纠纷应对指导中心。",
        "",
        "各环节的内部办理时限（本局工作安排，按工作日计算，法定节假日不计）：",
        "",
        *_steps(settings),
        "",
        "## 联系方式",
        "",
        *_contacts(settings),
        "",
        "## 在线填写申请书",
        "",
        "在下面填写后点“检查填写内容”；检查通过后可导出申请书文件（随材料一并报送，便于工作人员导入）"
        "并打印申请书（A4，格式同附件1）。" + _where_data_go(settings) +
        f"也可以[下载 Word 申请书]({WORD_FORM.split('/')[-1]})填写。",
        "",
        form_html(settings),
        "",
        *sending(settings),
        "## 个人信息保护说明",
        "",
        "- **用途**：申请书中的联系人姓名、邮箱、电话和联系地址，仅用于办理本申请（联系对接、会商、"
        "出具意见书、必要时向上级部门通报）。申请人名称、统一社会信用代码和纠纷情况按商业秘密保密，"
        "不在网站、报告中公开；风险预警报告只使用去除身份信息的统计数字。",
        "- **保存**：联系人信息与案件资料分开保存在三部门的办公电脑中，"
        f"在结案或不予受理后 {settings['privacy']['retention_days']} 天删除。",
        "- **本网页**：填写和检查都在您的浏览器中完成。" + _where_data_go(settings),
        "- **您的权利**：依照《中华人民共和国个人信息保护法》第四十四条至第四十七条，您可以查阅、复制、"
        "更正、补充或要求删除您的个人信息，请与上述部门联系。法律全文见"
        f"[国家法律法规数据库]({LAW_DATABASE})。",
        "",
    ]
    return "\n".join(lines)


def receiver_origin(settings) -> str:
    parts = urlsplit(settings["intake"]["receiver_url"])
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def generate(ctx) -> None:
    ctx.write("intake/index.md", page(ctx.settings))
    if receiver_origin(ctx.settings):  # the page may send the form there (CSP connect-src)
        ctx.extra["ipw_connect_src"] = receiver_origin(ctx.settings)
    ctx.write_bytes(WORD_FORM, docxutil.to_bytes(formdocx.blank_form()))
