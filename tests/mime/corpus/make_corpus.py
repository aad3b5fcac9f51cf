#!/usr/bin/python3
"""Write the MIME corpus: NN-name.eml (the raw message) and NN-name.out
(what `rowan --print NN-name.eml` must print).

Every expected output below is written out literally from the RFCs and the
render format described in README.md; nothing here decodes a message.
Non-ASCII sample texts are written once as Python strings, encoded into the
message with the declared charset, and expected back unchanged.

    /usr/bin/python3 tests/mime/corpus/make_corpus.py [DIR]

rewrites every file (DIR defaults to the folder of this script).  The output
is deterministic; run it after changing a case and commit the result.
"""

import base64
import os
import sys

OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

CASES = []   # (name, eml bytes, expected str)


def case(name, eml, expected):
    if isinstance(eml, str):
        eml = eml.encode("utf-8")
    CASES.append((name, eml, expected))


# ---- building blocks ----

FROM = "Ada Lovelace <ada@example.org>"
TO = "Bob <bob@example.org>"
DATE = "Mon, 5 Oct 2026 09:00:00 +0000"


def b64(data, width=76):
    text = base64.b64encode(data).decode("ascii")
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) + "\n"


def qp(data, width=76):
    """Quoted-printable: every byte >= 0x80, '=', and control bytes encoded;
    lines soft-broken before width.  Newlines in data stay line breaks."""
    out_lines = []
    for raw_line in data.split(b"\n"):
        line = ""
        for i, byte in enumerate(raw_line):
            if byte >= 0x80 or byte == 0x3D or byte < 0x20 or (
                    byte in (0x20, 0x09) and i == len(raw_line) - 1):
                piece = "=%02X" % byte
            else:
                piece = chr(byte)
            if len(line) + len(piece) > width - 1:
                out_lines.append(line + "=")
                line = ""
            line += piece
        out_lines.append(line)
    return "\n".join(out_lines)


def q_word(charset, data):
    """An RFC 2047 Q encoded word; everything but letters and digits is =XX,
    spaces are '_'."""
    text = ""
    for byte in data:
        if byte == 0x20:
            text += "_"
        elif chr(byte).isascii() and chr(byte).isalnum():
            text += chr(byte)
        else:
            text += "=%02X" % byte
    return "=?%s?Q?%s?=" % (charset, text)


def b_word(charset, data):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode("ascii"))


def headers(*pairs):
    """Header lines from (name, value) pairs; value may be bytes."""
    out = b""
    for name, value in pairs:
        if isinstance(value, str):
            value = value.encode("utf-8")
        out += name.encode("ascii") + b": " + value + b"\n"
    return out


def std_headers(subject, number, from_=FROM, to=TO, date=DATE, cc=None, mime=True):
    pairs = [("From", from_), ("To", to)]
    if cc is not None:
        pairs.append(("Cc", cc))
    pairs += [("Date", date), ("Subject", subject),
              ("Message-ID", "<corpus-%02d@example.org>" % number)]
    if mime:
        pairs.append(("MIME-Version", "1.0"))
    return headers(*pairs)


def shown(subject, from_=FROM, to=TO, date=DATE, cc=None):
    """The header block Rowan shows: From To Cc Date Subject, then a blank line."""
    out = ""
    for name, value in (("From", from_), ("To", to), ("Cc", cc), ("Date", date),
                        ("Subject", subject)):
        if value is not None:
            out += "%s: %s\n" % (name, value)
    return out + "\n"


def attachment_list(*rows):
    """[-- Attachments --] followed by "ID  NAME  TYPE  SIZE bytes" rows."""
    out = "[-- Attachments --]\n"
    for part, name, ctype, size in rows:
        out += "%s  %s  %s  %d bytes\n" % (part, name, ctype, size)
    return out


def part_sep(part, ctype, filename=None):
    """The line before each inline part after the first: IMAP section
    number, type and file name."""
    return "[-- %s: %s%s --]\n" % (part, ctype, ", " + filename if filename else "")


PDF = b"%PDF-1.4\n% a tiny test document\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082")
BIN = bytes(range(0, 256, 7))


# ---- 01-05: transfer encodings ----

case("01-plain-7bit",
     std_headers("Plain seven-bit text", 1, cc="Carol <carol@example.org>, dave@example.org") +
     b"Content-Type: text/plain; charset=us-ascii\n"
     b"Content-Transfer-Encoding: 7bit\n"
     b"\n"
     b"Hello Bob,\n"
     b"\n"
     b"this is plain 7-bit ASCII text.\n"
     b"\tA tab-indented line.\n"
     b"\n"
     b"Ada\n",
     shown("Plain seven-bit text", cc="Carol <carol@example.org>, dave@example.org") +
     "Hello Bob,\n"
     "\n"
     "this is plain 7-bit ASCII text.\n"
     "\tA tab-indented line.\n"
     "\n"
     "Ada\n")

UTF8_TEXT = ("Grüße aus Köln — ünïcödé ✓\n"
             "Καλημέρα κόσμε\n"
             "こんにちは世界\n"
             "Emoji: 😀🎉\n")
case("02-utf8-8bit",
     # Subject first and Date last in the file: Rowan shows its own order.
     headers(("Subject", "UTF-8 body, 8bit"), ("To", TO), ("From", FROM),
             ("MIME-Version", "1.0"), ("Date", DATE)) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + UTF8_TEXT.encode("utf-8"),
     shown("UTF-8 body, 8bit") + UTF8_TEXT)

B64_TEXT = "Base64 body: naïve café, 日本語.\nSecond line, long enough that the encoded text needs more than one line of base64.\n"
case("03-base64-utf8",
     std_headers("Base64 transfer encoding", 3) +
     b"Content-Type: text/plain; charset=UTF-8\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(B64_TEXT.encode("utf-8")).encode("ascii"),
     shown("Base64 transfer encoding") + B64_TEXT)

case("04-quoted-printable",
     std_headers("Quoted-printable with soft line breaks", 4) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n"
     b"This line is long enough that it had to be wrapped by the quoted-printa=\n"
     b"ble encoder at 76 columns.\n"
     b"Equals sign: 1 + 1 =3D 2.\n"
     b"Accents: caf=C3=A9, na=C3=AFve, =E2=82=AC 5.\n"
     b"Split euro: =E2=82=\n"
     b"=AC in two lines.\n"
     b"Trailing space kept:=20\n"
     b"Tab=09inside.\n"
     b"Soft=\n"
     b" break keeps the space.\n"
     b"Unencoded trailing blanks are transport padding and go.   \n"
     b"Last line.\n",
     shown("Quoted-printable with soft line breaks") +
     "This line is long enough that it had to be wrapped by the quoted-printable encoder at 76 columns.\n"
     "Equals sign: 1 + 1 = 2.\n"
     "Accents: café, naïve, € 5.\n"
     "Split euro: € in two lines.\n"
     "Trailing space kept: \n"
     "Tab\tinside.\n"
     "Soft break keeps the space.\n"
     "Unencoded trailing blanks are transport padding and go.\n"
     "Last line.\n")

BINARY_TEXT = "Binary transfer encoding: ünïcödé.\nNo line length limit: " + "x" * 1200 + "\nEnd.\n"
case("05-binary",
     std_headers("Binary transfer encoding", 5) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: binary\n"
     b"\n" + BINARY_TEXT.encode("utf-8"),
     shown("Binary transfer encoding") + BINARY_TEXT)


# ---- 06-18: charsets, in bodies and encoded words ----

LATIN1_BODY = "Voilà, ça coûte 5 £. Déjà vu? Ñandú, ½ + ¼ = ¾. ÿ\n"
case("06-iso-8859-1",
     std_headers(q_word("ISO-8859-1", "Café crème brûlée".encode("latin-1")), 6,
                 from_=q_word("iso-8859-1", "François Dupré".encode("latin-1")).replace("Q?", "q?")
                 + " <francois@example.fr>") +
     b"Content-Type: Text/Plain; Charset=\"ISO-8859-1\"\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + LATIN1_BODY.encode("latin-1"),
     shown("Café crème brûlée", from_="François Dupré <francois@example.fr>") + LATIN1_BODY)

L2_BODY = "Zażółć gęślą jaźń.\nPříliš žluťoučký kůň.\n"
case("07-iso-8859-2",
     std_headers(b_word("ISO-8859-2", "Zażółć gęślą jaźń".encode("iso8859_2")), 7,
                 from_=q_word("ISO-8859-2", "Łukasz Żółw".encode("iso8859_2")) + " <lukasz@example.pl>") +
     b"Content-Type: text/plain; charset=iso-8859-2\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n" + qp(L2_BODY.encode("iso8859_2")).encode("ascii"),
     shown("Zażółć gęślą jaźń", from_="Łukasz Żółw <lukasz@example.pl>") + L2_BODY)

L9_BODY = "Le prix est de 15 €.\nŒuvre, œil, Ÿ, Š, ž.\n"
case("08-iso-8859-15",
     std_headers(q_word("ISO-8859-15", "Prix : 15 € pour l'œuvre".encode("iso8859_15")), 8) +
     b"Content-Type: text/plain; charset=ISO-8859-15\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + L9_BODY.encode("iso8859_15"),
     shown("Prix : 15 € pour l'œuvre") + L9_BODY)

CP1250_BODY = "„Dobrý den“, Příliš žluťoučký kůň úpěl ďábelské ódy.\nŠťastný nový rok!\n"
case("09-windows-1250",
     std_headers(b_word("windows-1250", "Příliš žluťoučký kůň úpěl ďábelské ódy".encode("cp1250")), 9,
                 from_=q_word("windows-1250", "Jiří Novák".encode("cp1250")) + " <jiri@example.cz>") +
     b"Content-Type: text/plain; charset=windows-1250\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n" + qp(CP1250_BODY.encode("cp1250")).encode("ascii"),
     shown("Příliš žluťoučký kůň úpěl ďábelské ódy", from_="Jiří Novák <jiri@example.cz>") + CP1250_BODY)

CP1251_BODY = "Съешь же ещё этих мягких французских булок, да выпей чаю.\n№ 5 — «тест»\n"
case("10-windows-1251",
     std_headers(b_word("windows-1251", "Привет, мир".encode("cp1251")), 10,
                 from_=b_word("windows-1251", "Анна Петрова".encode("cp1251")) + " <anna@example.ru>") +
     b"Content-Type: text/plain; charset=windows-1251\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(CP1251_BODY.encode("cp1251")).encode("ascii"),
     shown("Привет, мир", from_="Анна Петрова <anna@example.ru>") + CP1251_BODY)

CP1252_BODY = "He said “hello” — it’s €20… ™ • Œ\nEn dash – and ‰ and ƒ.\n"
case("11-windows-1252",
     std_headers(q_word("windows-1252", "“Smart quotes” – €5 … ok".encode("cp1252")), 11) +
     b"Content-Type: text/plain; charset=windows-1252\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + CP1252_BODY.encode("cp1252"),
     shown("“Smart quotes” – €5 … ok") + CP1252_BODY)

KOI8_BODY = "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!\nЁлка и ёжик.\n"
case("12-koi8-r",
     std_headers(b_word("KOI8-R", "Съешь ещё этих булок".encode("koi8_r")), 12,
                 from_=q_word("koi8-r", "Иван Петров".encode("koi8_r")) + " <ivan@example.ru>") +
     b"Content-Type: text/plain; charset=koi8-r\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + KOI8_BODY.encode("koi8_r"),
     shown("Съешь ещё этих булок", from_="Иван Петров <ivan@example.ru>") + KOI8_BODY)

GB_BODY = "你好，世界！这是简体中文邮件。\n第二行：测试。\n"
case("13-gb2312",
     std_headers(b_word("gb2312", "简体中文测试".encode("gb2312")), 13,
                 from_=q_word("GB2312", "王小明".encode("gb2312")) + " <wang@example.cn>") +
     b"Content-Type: text/plain; charset=gb2312\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(GB_BODY.encode("gb2312")).encode("ascii"),
     shown("简体中文测试", from_="王小明 <wang@example.cn>") + GB_BODY)

# 镕, 喆 and 堃 are in GBK but not in GB2312.
GBK_BODY = "朱镕基，张喆，王堃：这些字只在 GBK 里。\n"
case("14-gbk",
     std_headers(q_word("GBK", "镕喆堃 GBK 主题".encode("gbk")), 14,
                 from_=b_word("gbk", "张喆".encode("gbk")) + " <zhang@example.cn>") +
     b"Content-Type: text/plain; charset=GBK\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + GBK_BODY.encode("gbk"),
     shown("镕喆堃 GBK 主题", from_="张喆 <zhang@example.cn>") + GBK_BODY)

SJIS_BODY = "こんにちは。これはシフトJISのメールです。\nカタカナ、ひらがな、漢字。表示と能力。\n"
case("15-shift-jis",
     std_headers(b_word("Shift_JIS", "日本語の件名".encode("shift_jis")), 15,
                 from_=q_word("shift_jis", "鈴木一郎".encode("shift_jis")) + " <suzuki@example.jp>") +
     b"Content-Type: text/plain; charset=Shift_JIS\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(SJIS_BODY.encode("shift_jis")).encode("ascii"),
     shown("日本語の件名", from_="鈴木一郎 <suzuki@example.jp>") + SJIS_BODY)

JIS_BODY = "山田です。\n明日の会議は十時からです。\nよろしくお願いします。\n"
case("16-iso-2022-jp",
     std_headers(b_word("ISO-2022-JP", "会議のお知らせ".encode("iso2022_jp")), 16,
                 from_=q_word("iso-2022-jp", "山田太郎".encode("iso2022_jp")) + " <yamada@example.jp>") +
     b"Content-Type: text/plain; charset=ISO-2022-JP\n"
     b"Content-Transfer-Encoding: 7bit\n"
     b"\n" + JIS_BODY.encode("iso2022_jp"),
     shown("会議のお知らせ", from_="山田太郎 <yamada@example.jp>") + JIS_BODY)

KR_BODY = "안녕하세요. 한국어 메일입니다.\n감사합니다.\n"
case("17-euc-kr",
     std_headers(b_word("EUC-KR", "안녕하세요".encode("euc_kr")), 17,
                 from_=q_word("euc-kr", "김철수".encode("euc_kr")) + " <kim@example.kr>") +
     b"Content-Type: text/plain; charset=euc-kr\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n" + KR_BODY.encode("euc_kr"),
     shown("안녕하세요", from_="김철수 <kim@example.kr>") + KR_BODY)

BIG5_BODY = "這是繁體中文的郵件。許功蓋的字。\n謝謝。\n"
case("18-big5",
     std_headers(q_word("Big5", "繁體中文測試".encode("big5")), 18,
                 from_=b_word("big5", "陳大文".encode("big5")) + " <chan@example.tw>") +
     b"Content-Type: text/plain; charset=big5\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n" + qp(BIG5_BODY.encode("big5")).encode("ascii"),
     shown("繁體中文測試", from_="陳大文 <chan@example.tw>") + BIG5_BODY)


# ---- 19-21: header decoding ----

case("19-encoded-words-adjacent",
     headers(("From", FROM),
             # one UTF-8 character split over two encoded words
             ("To", "=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?= <euro@example.org>"),
             ("Cc", "=?utf-8?q?lower_case?= <lc@example.org>, "
                    "=?UTF-8*en?Q?With_Language?= <lang@example.org>"),
             ("Date", DATE),
             ("Subject", "=?UTF-8?Q?Adjacent_?= =?UTF-8?B?ZW5jb2RlZA==?=\n"
                         " =?ISO-8859-1?Q?_w=F6rds?= and plain text =?UTF-8?Q?=C3=A9t=C3=A9?="),
             ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"Adjacent encoded words are joined.\n",
     shown("Adjacent encoded wörds and plain text été", to="€ <euro@example.org>",
           cc="lower case <lc@example.org>, With Language <lang@example.org>") +
     "Adjacent encoded words are joined.\n")

MALFORMED = ("Broken =?UTF-8?X?abc?= and =?no-such-charset?Q?caf=E9?= and "
             "=?UTF-8?B?@@@?= but =?UTF-8?Q?ok=C3=A9?= and =?UTF-8?Q?unterminated")
case("20-encoded-words-malformed",
     std_headers(MALFORMED, 20) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"Malformed encoded words stay as they are written.\n",
     shown("Broken =?UTF-8?X?abc?= and =?no-such-charset?Q?caf=E9?= and "
           "=?UTF-8?B?@@@?= but oké and =?UTF-8?Q?unterminated") +
     "Malformed encoded words stay as they are written.\n")

case("21-raw-8bit-headers",
     headers(("From", "José Müller <jose@example.es>".encode("latin-1")),
             ("To", "Zoë Ångström <zoe@example.se>".encode("utf-8")),
             ("Date", DATE),
             ("Subject", "Grüße — raw UTF-8 in a header".encode("utf-8")),
             ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain; charset=us-ascii\n"
     b"\n"
     b"Raw 8-bit header text: UTF-8 when valid, else windows-1252.\n",
     shown("Grüße — raw UTF-8 in a header", from_="José Müller <jose@example.es>",
           to="Zoë Ångström <zoe@example.se>") +
     "Raw 8-bit header text: UTF-8 when valid, else windows-1252.\n")


# ---- 22-23: attachment names ----

A1, A2, A3, A4, A5, A6 = (b"rate=1.10", b"Gruss aus Koeln\n", b"two parts\n", PDF,
                          b"docx-ish bytes", BIN)
case("22-rfc2231-filenames",
     std_headers("RFC 2231 file names", 22) +
     b"Content-Type: multipart/mixed; boundary=\"rfc2231\"\n"
     b"\n"
     b"--rfc2231\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"Six attachments with encoded names.\n"
     b"--rfc2231\n"
     b"Content-Type: text/plain; name*=UTF-8''%E2%82%AC%20rates.txt\n"
     b"Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.txt\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A1).encode() +
     b"--rfc2231\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Disposition: attachment;\n"
     b" filename*0*=UTF-8'de'Gr%C3%BC%C3%9Fe%20;\n"
     b" filename*1*=aus%20;\n"
     b" filename*2=\"Koeln.txt\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A2).encode() +
     b"--rfc2231\n"
     b"Content-Type: text/plain\n"
     b"Content-Disposition: attachment; filename*1=\"-part-two.txt\"; filename*0=\"part-one\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A3).encode() +
     b"--rfc2231\n"
     b"Content-Type: application/pdf\n"
     b"Content-Disposition: attachment; filename*=iso-8859-1'fr'r%E9sum%E9.pdf\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A4).encode() +
     b"--rfc2231\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename=\"=?UTF-8?B?0J7RgtGH0ZHRgi5kb2N4?=\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A5).encode() +
     b"--rfc2231\n"
     b"Content-Type: application/octet-stream; name=\"legacy name.bin\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(A6).encode() +
     b"--rfc2231--\n",
     shown("RFC 2231 file names") +
     "Six attachments with encoded names.\n"
     "\n" +
     attachment_list(("2", "€ rates.txt", "text/plain", len(A1)),
                     ("3", "Grüße aus Koeln.txt", "text/plain", len(A2)),
                     ("4", "part-one-part-two.txt", "text/plain", len(A3)),
                     ("5", "résumé.pdf", "application/pdf", len(A4)),
                     ("6", "Отчёт.docx", "application/octet-stream", len(A5)),
                     ("7", "legacy name.bin", "application/octet-stream", len(A6))))

H1, H2, H3, H4, H5 = b"# not really\n", b"root:x:0:0\n", b"red text\n", b"two\nlines\n", b"\x07\x07\x07"
case("23-filename-hostile",
     std_headers("Hostile attachment names", 23) +
     b"Content-Type: multipart/mixed; boundary=\"hostile\"\n"
     b"\n"
     b"--hostile\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Attachments with hostile names.\n"
     b"--hostile\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename=\"../../.bashrc\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(H1).encode() +
     b"--hostile\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(H2).encode() +
     b"--hostile\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''evil%1B%5B31mred%1B%5B0m.txt\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(H3).encode() +
     b"--hostile\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''two%0Alines%0D.txt\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(H4).encode() +
     b"--hostile\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''tab%09and%07bell.txt\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(H5).encode() +
     b"--hostile\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Disposition: inline; filename*=UTF-8''inline%1B%5D0%3Btitle%07.txt\n"
     b"\n"
     b"Inline part with a hostile name.\n"
     b"--hostile--\n",
     shown("Hostile attachment names") +
     "Attachments with hostile names.\n"
     "\n" +
     part_sep("7", "text/plain", "inline^[]0;title^G.txt") +
     "Inline part with a hostile name.\n"
     "\n" +
     attachment_list(("2", "../../.bashrc", "application/octet-stream", len(H1)),
                     ("3", "../../etc/passwd", "application/octet-stream", len(H2)),
                     ("4", "evil^[[31mred^[[0m.txt", "application/octet-stream", len(H3)),
                     ("5", "two^Jlines^M.txt", "application/octet-stream", len(H4)),
                     ("6", "tab^Iand^Gbell.txt", "application/octet-stream", len(H5))))


# ---- 24-27: addresses and dates ----

case("24-address-lists",
     headers(("From", "\"Lovelace, Ada \\\"Countess\\\"\" <ada@example.org>"),
             ("To", "Team: Bob <bob@example.org>, \"Smith, Carol\" <carol@example.org>;,\n"
                    " dave@example.org (Dave the Builder),\n"
                    " =?UTF-8?Q?Ren=C3=A9e_Ch=C3=A2telet?= <renee@example.org>"),
             ("Cc", "undisclosed-recipients:;"),
             ("Reply-To", "Nobody <nobody@example.org>"),
             ("Date", DATE),
             ("Subject", "Address lists"),
             ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"Groups, comments and quoted names.\n",
     shown("Address lists", from_="\"Lovelace, Ada \\\"Countess\\\"\" <ada@example.org>",
           to="Team: Bob <bob@example.org>, \"Smith, Carol\" <carol@example.org>;, "
              "Dave the Builder <dave@example.org>, Renée Châtelet <renee@example.org>",
           cc="undisclosed-recipients:;") +
     "Groups, comments and quoted names.\n")

case("25-date-rfc5322",
     headers(("From", FROM), ("To", TO),
             ("Date", "Tue, 6 Oct 2026\n 14:30:15 -0700 (PDT)"),
             ("Subject", "RFC 5322 date, folded, with a comment"), ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"The date is shown as written (unfolded).\n",
     shown("RFC 5322 date, folded, with a comment", date="Tue, 6 Oct 2026 14:30:15 -0700 (PDT)") +
     "The date is shown as written (unfolded).\n")

case("26-date-obsolete",
     headers(("From", FROM), ("To", TO), ("Date", "5 Oct 26 09:00 EST"),
             ("Subject", "Obsolete date: two-digit year, named zone, no weekday"),
             ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"Obsolete date forms are still dates.\n",
     shown("Obsolete date: two-digit year, named zone, no weekday", date="5 Oct 26 09:00 EST") +
     "Obsolete date forms are still dates.\n")

case("27-date-garbage",
     headers(("From", FROM), ("To", TO), ("Date", "sometime next week, probably"),
             ("Subject", "Garbage date"), ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"A date that cannot be read is still shown as written.\n",
     shown("Garbage date", date="sometime next week, probably") +
     "A date that cannot be read is still shown as written.\n")


# ---- 28-34: structure ----

case("28-nested-mixed-alternative-related",
     std_headers("Nested multiparts", 28) +
     b"Content-Type: multipart/mixed; boundary=\"outer\"\n"
     b"\n"
     b"This is a multi-part message in MIME format; this preamble is not shown.\n"
     b"\n"
     b"--outer\n"
     b"Content-Type: multipart/alternative; boundary=\"alt\"\n"
     b"\n"
     b"--alt\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n"
     b"The plain text version, =E2=80=9Cpreferred=E2=80=9D.\n"
     b"--alt\n"
     b"Content-Type: multipart/related; boundary=\"rel\"; type=\"text/html\"\n"
     b"\n"
     b"--rel\n"
     b"Content-Type: text/html; charset=utf-8\n"
     b"\n"
     b"<html><body><p>The <b>HTML</b> version.</p><img src=\"cid:logo@example.org\"></body></html>\n"
     b"--rel\n"
     b"Content-Type: image/png\n"
     b"Content-ID: <logo@example.org>\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(PNG).encode() +
     b"--rel--\n"
     b"\n"
     b"--alt--\n"
     b"\n"
     b"--outer\n"
     b"Content-Type: application/pdf; name=\"report.pdf\"\n"
     b"Content-Disposition: attachment; filename=\"report.pdf\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(PDF).encode() +
     b"--outer--\n"
     b"This epilogue is not shown either.\n",
     shown("Nested multiparts") +
     "The plain text version, “preferred”.\n"
     "\n" +
     attachment_list(("2", "report.pdf", "application/pdf", len(PDF))))

case("29-alternative-plain-html",
     std_headers("Plain and HTML alternatives", 29) +
     b"Content-Type: multipart/alternative; boundary=\"=_alt_29\"\n"
     b"\n"
     b"--=_alt_29\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"Plain text wins.\n"
     b"--=_alt_29\n"
     b"Content-Type: text/html; charset=utf-8\n"
     b"\n"
     b"<p>HTML loses.</p>\n"
     b"--=_alt_29--\n",
     shown("Plain and HTML alternatives") +
     "Plain text wins.\n")

case("30-alternative-html-first",
     std_headers("HTML alternative listed first", 30) +
     b"Content-Type: multipart/alternative; boundary=\"b30\"\n"
     b"\n"
     b"--b30\n"
     b"Content-Type: text/html; charset=utf-8\n"
     b"\n"
     b"<p>HTML comes first in the message but is not preferred.</p>\n"
     b"--b30\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"Plain text is preferred wherever it is.\n"
     b"--b30--\n",
     shown("HTML alternative listed first") +
     "Plain text is preferred wherever it is.\n")

SIG = (b"-----BEGIN PGP SIGNATURE-----\n"
       b"\n"
       b"iQEzBAEBCAAdFiEEexampleexampleexampleexampleexampleFAmcorpus\n"
       b"=abcd\n"
       b"-----END PGP SIGNATURE-----")
case("31-multipart-signed",
     std_headers("Signed message", 31) +
     b"Content-Type: multipart/signed; micalg=pgp-sha256;\n"
     b" protocol=\"application/pgp-signature\"; boundary=\"sig31\"\n"
     b"\n"
     b"This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\n"
     b"--sig31\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n"
     b"This text is signed.\n"
     b"--sig31\n"
     b"Content-Type: application/pgp-signature; name=\"signature.asc\"\n"
     b"Content-Description: OpenPGP digital signature\n"
     b"Content-Disposition: attachment; filename=\"signature.asc\"\n"
     b"\n" + SIG + b"\n"
     b"--sig31--\n",
     shown("Signed message") +
     "This text is signed.\n"
     "\n" +
     attachment_list(("2", "signature.asc", "application/pgp-signature", len(SIG))))

case("32-multipart-digest",
     std_headers("Digest, Vol 12, Issue 3", 32) +
     b"Content-Type: multipart/mixed; boundary=\"dig-outer\"\n"
     b"\n"
     b"--dig-outer\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Today's topics:\n"
     b"  1. First post\n"
     b"  2. Second post\n"
     b"--dig-outer\n"
     b"Content-Type: multipart/digest; boundary=\"dig\"\n"
     b"\n"
     b"--dig\n"
     b"\n"
     b"From: Carol <carol@example.org>\n"
     b"Date: Sun, 4 Oct 2026 10:00:00 +0000\n"
     b"Subject: First post\n"
     b"\n"
     b"The first post in the digest.\n"
     b"--dig\n"
     b"Content-Type: message/rfc822\n"
     b"\n"
     b"From: Dave <dave@example.org>\n"
     b"Date: Sun, 4 Oct 2026 11:00:00 +0000\n"
     b"Subject: =?UTF-8?Q?Second_post_=E2=9C=93?=\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"The second post, with a check mark \xe2\x9c\x93.\n"
     b"--dig--\n"
     b"--dig-outer--\n",
     shown("Digest, Vol 12, Issue 3") +
     "Today's topics:\n"
     "  1. First post\n"
     "  2. Second post\n"
     "\n"
     "[-- Forwarded message (2.1) --]\n" +
     shown("First post", from_="Carol <carol@example.org>", to=None,
           date="Sun, 4 Oct 2026 10:00:00 +0000") +
     "The first post in the digest.\n"
     "[-- End of forwarded message --]\n"
     "\n"
     "[-- Forwarded message (2.2) --]\n" +
     shown("Second post ✓", from_="Dave <dave@example.org>", to=None,
           date="Sun, 4 Oct 2026 11:00:00 +0000") +
     "The second post, with a check mark ✓.\n"
     "[-- End of forwarded message --]\n")

case("33-forward-inline",
     std_headers("Fwd: Minutes", 33) +
     b"Content-Type: multipart/mixed; boundary=\"fwd33\"\n"
     b"\n"
     b"--fwd33\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"See the minutes below.\n"
     b"--fwd33\n"
     b"Content-Type: message/rfc822\n"
     b"Content-Disposition: inline\n"
     b"\n"
     b"From: Carol <carol@example.org>\n"
     b"To: Ada Lovelace <ada@example.org>\n"
     b"Cc: dave@example.org\n"
     b"Date: Fri, 2 Oct 2026 17:45:00 +0200\n"
     b"Subject: Minutes\n"
     b"Message-ID: <minutes@example.org>\n"
     b"MIME-Version: 1.0\n"
     b"Content-Type: text/plain; charset=iso-8859-1\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n"
     b"The minutes, as promised. Caf=E9 at ten.\n"
     b"--fwd33--\n",
     shown("Fwd: Minutes") +
     "See the minutes below.\n"
     "\n"
     "[-- Forwarded message (2) --]\n" +
     shown("Minutes", from_="Carol <carol@example.org>", to="Ada Lovelace <ada@example.org>",
           cc="dave@example.org", date="Fri, 2 Oct 2026 17:45:00 +0200") +
     "The minutes, as promised. Café at ten.\n"
     "[-- End of forwarded message --]\n")

case("34-forward-nested",
     std_headers("Fwd: Fwd: Lunch", 34) +
     b"Content-Type: multipart/mixed; boundary=\"n1\"\n"
     b"\n"
     b"--n1\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Forwarding a forward.\n"
     b"--n1\n"
     b"Content-Type: message/rfc822\n"
     b"\n"
     b"From: Bob <bob@example.org>\n"
     b"To: Ada Lovelace <ada@example.org>\n"
     b"Date: Sat, 3 Oct 2026 12:00:00 +0000\n"
     b"Subject: Fwd: Lunch\n"
     b"MIME-Version: 1.0\n"
     b"Content-Type: multipart/mixed; boundary=\"n2\"\n"
     b"\n"
     b"--n2\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Bob's note on the forward.\n"
     b"--n2\n"
     b"Content-Type: message/rfc822\n"
     b"\n"
     b"From: Carol <carol@example.org>\n"
     b"To: Bob <bob@example.org>\n"
     b"Date: Sat, 3 Oct 2026 11:00:00 +0000\n"
     b"Subject: Lunch\n"
     b"\n"
     b"Lunch at noon?\n"
     b"--n2--\n"
     b"--n1--\n",
     shown("Fwd: Fwd: Lunch") +
     "Forwarding a forward.\n"
     "\n"
     "[-- Forwarded message (2) --]\n" +
     shown("Fwd: Lunch", from_="Bob <bob@example.org>", to="Ada Lovelace <ada@example.org>",
           date="Sat, 3 Oct 2026 12:00:00 +0000") +
     "Bob's note on the forward.\n"
     "\n"
     "[-- Forwarded message (2.2) --]\n" +
     shown("Lunch", from_="Carol <carol@example.org>", to="Bob <bob@example.org>",
           date="Sat, 3 Oct 2026 11:00:00 +0000") +
     "Lunch at noon?\n"
     "[-- End of forwarded message --]\n"
     "[-- End of forwarded message --]\n")


# ---- 35-37: flowed text and HTML ----

case("35-format-flowed",
     std_headers("format=flowed", 35) +
     b"Content-Type: text/plain; charset=utf-8; format=flowed\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"This paragraph was flowed \n"
     b"by the sender.\n"
     b"\n"
     b"> A quoted paragraph that \n"
     b"> was flowed as well.\n"
     b">> A deeper quote \n"
     b">>that flows too.\n"
     b"\n"
     b" From a space-stuffed line.\n"
     b"Fixed line one.\n"
     b"Fixed line two.\n"
     b"\n"
     b"-- \n"
     b"Ada\n",
     shown("format=flowed") +
     "This paragraph was flowed by the sender.\n"
     "\n"
     "> A quoted paragraph that was flowed as well.\n"
     ">> A deeper quote that flows too.\n"
     "\n"
     "From a space-stuffed line.\n"
     "Fixed line one.\n"
     "Fixed line two.\n"
     "\n"
     "-- \n"
     "Ada\n")

case("36-format-flowed-delsp",
     std_headers("format=flowed; delsp=yes", 36) +
     b"Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"Supercalifragi \n"
     b"listic, joined without a space.\n" +
     "日本語の文章は \n空白なしで続きます。\n".encode("utf-8") +
     b"Two words  \n"
     b"keep one space.\n"
     b"> Quoted and del \n"
     b"> eted.\n",
     shown("format=flowed; delsp=yes") +
     "Supercalifragilistic, joined without a space.\n"
     "日本語の文章は空白なしで続きます。\n"
     "Two words keep one space.\n"
     "> Quoted and deleted.\n")

case("37-html-only",
     std_headers("HTML only", 37) +
     b"Content-Type: text/html; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"<!DOCTYPE html>\n"
     b"<html><head><meta charset=\"utf-8\">"
     b"<style type=\"text/css\">body { color: red; } .secret { display: none; }</style>\n"
     b"<script type=\"text/javascript\">alert(\"script text must not be shown\");</script>\n"
     b"</head><body>"
     b"<p>Fish &amp; Chips &lt;today&gt; &quot;only&quot; &#8364;5 &#x263A; &eacute;t&eacute;</p>"
     b"<p>Second paragraph.<br>After a break.</p>"
     b"<p>Escape entity: &#27;[2J</p>"
     b"</body></html>\n",
     shown("HTML only") +
     "Fish & Chips <today> \"only\" €5 ☺ été\n"
     "\n"
     "Second paragraph.\n"
     "After a break.\n"
     "\n"
     "Escape entity: ^[[2J\n")


# ---- 38-43: broken MIME ----

case("38-missing-close-boundary",
     std_headers("Missing closing boundary", 38) +
     b"Content-Type: multipart/mixed; boundary=\"open\"\n"
     b"\n"
     b"--open\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"First part.\n"
     b"--open\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Second part, never closed.\n",
     shown("Missing closing boundary") +
     "First part.\n"
     "\n" +
     part_sep("2", "text/plain") +
     "Second part, never closed.\n")

case("39-missing-boundary-parameter",
     std_headers("Multipart without a boundary", 39) +
     b"Content-Type: multipart/mixed\n"
     b"\n"
     b"--frontier\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Hello.\n"
     b"--frontier--\n",
     shown("Multipart without a boundary") +
     "--frontier\n"
     "Content-Type: text/plain\n"
     "\n"
     "Hello.\n"
     "--frontier--\n")

case("40-declared-wrong-charset",
     std_headers("Declared UTF-8, written in Latin-1", 40) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"Caf\xe9 cr\xe8me: each invalid byte is shown as a replacement character.\n",
     shown("Declared UTF-8, written in Latin-1") +
     "Caf\ufffd cr\ufffdme: each invalid byte is shown as a replacement character.\n")

case("41-unknown-charset",
     std_headers("Unknown charset falls back to windows-1252", 41) +
     b"Content-Type: text/plain; charset=x-no-such-charset\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"Caf\xe9 \x80 5, \x93quoted\x94.\n",
     shown("Unknown charset falls back to windows-1252") +
     "Café € 5, “quoted”.\n")

case("42-bad-base64",
     std_headers("Bad base64", 42) +
     b"Content-Type: multipart/mixed; boundary=\"b42\"\n"
     b"\n"
     b"--b42\n"
     b"Content-Type: text/plain\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n"
     b"SGVs bG8s\n"
     b"IHdv#cmxk\n"
     b"IQ==\n"
     b"--b42\n"
     b"Content-Type: text/plain\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n"
     b"VHJ1bmNhdGVkIQ\n"
     b"--b42--\n",
     shown("Bad base64") +
     "Hello, world!\n"
     "\n" +
     part_sep("2", "text/plain") +
     "Truncated!\n")

case("43-bad-quoted-printable",
     std_headers("Bad quoted-printable", 43) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n"
     b"A bad escape =ZZ stays as written.\n"
     b"Lower case hex =c3=a9 decodes.\n"
     b"Soft break followed by blanks =   \n"
     b"continues the line.\n"
     b"Equals at the end of the body=",
     shown("Bad quoted-printable") +
     "A bad escape =ZZ stays as written.\n"
     "Lower case hex é decodes.\n"
     "Soft break followed by blanks continues the line.\n"
     "Equals at the end of the body\n")


# ---- 44-48: sizes, NULs and hostile bytes ----

HUGE = "HUGE:" + "0123456789" * 20000
case("44-huge-line",
     std_headers("A 200 KB line", 44) +
     b"Content-Type: text/plain\n"
     b"\n" + HUGE.encode() + b"\n"
     b"Short line after it.\n",
     shown("A 200 KB line") + HUGE + "\n" "Short line after it.\n")

case("45-nul-bytes",
     headers(("From", FROM), ("To", TO), ("Date", DATE),
             ("Subject", b"NUL\x00in the subject"), ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"before\x00after\n"
     b"\x00\x00 two at the start\n",
     shown("NUL\ufffdin the subject") +
     "before\ufffdafter\n"
     "\ufffd\ufffd two at the start\n")

case("46-escape-sequences",
     headers(("From", "=?UTF-8?Q?Evil_=1B=5D0=3Btitle=07_Sender?= <evil@example.org>"),
             ("To", TO), ("Date", DATE),
             ("Subject", b"Clear \x1b[2J screen \x1b]52;c;cGF5bG9hZA==\x07"),
             ("MIME-Version", "1.0")) +
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"Clear screen: \x1b[2J\n"
     b"Clipboard: \x1b]52;c;ZWNobyBwd25lZA==\x07\n"
     b"Title: \x1b]0;owned\x07\n"
     b"Colour: \x1b[31mred\x1b[0m\n"
     b"String terminator: \x1b]2;x\x1b\\\n",
     shown("Clear ^[[2J screen ^[]52;c;cGF5bG9hZA==^G",
           from_="\"Evil ^[]0;title^G Sender\" <evil@example.org>") +
     "Clear screen: ^[[2J\n"
     "Clipboard: ^[]52;c;ZWNobyBwd25lZA==^G\n"
     "Title: ^[]0;owned^G\n"
     "Colour: ^[[31mred^[[0m\n"
     "String terminator: ^[]2;x^[\\\n")

case("47-c1-controls",
     std_headers("=?UTF-8?Q?C1_=C2=9B_in_the_subject?=", 47) +
     b"Content-Type: multipart/mixed; boundary=\"c1\"\n"
     b"\n"
     b"--c1\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"NEL: \xc2\x85 CSI: \xc2\x9b OSC: \xc2\x9d\n"
     b"Bell\x07 backspace a\x08b delete \x7f form feed \x0c\n"
     b"progress\rbar\n"
     b"--c1\n"
     b"Content-Type: text/plain; charset=iso-8859-1\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"Labelled ISO-8859-1, read as windows-1252: 0x9B \x9b and 0x85 \x85\n"
     b"--c1\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n"
     b"\n"
     b"A lone 0x9B byte is not UTF-8: \x9b end\n"
     b"--c1--\n",
     shown("C1 <U+009B> in the subject") +
     "NEL: <U+0085> CSI: <U+009B> OSC: <U+009D>\n"
     "Bell^G backspace a^Hb delete ^? form feed ^L\n"
     "progress^Mbar\n"
     "\n" +
     part_sep("2", "text/plain") +
     "Labelled ISO-8859-1, read as windows-1252: 0x9B \u203a and 0x85 \u2026\n"
     "\n" +
     part_sep("3", "text/plain") +
     "A lone 0x9B byte is not UTF-8: \ufffd end\n")

BIDI_ATT = b"MZ not really an executable"
case("48-bidi-override",
     headers(("From", "=?UTF-8?Q?Bank_=E2=80=AEknab=E2=80=AC?= <phish@example.org>"),
             ("To", "\u2066Bob\u2069 <bob@example.org>".encode("utf-8")),
             ("Date", DATE),
             ("Subject", "Your invoice \u202efdp.exe".encode("utf-8")),
             ("MIME-Version", "1.0")) +
     b"Content-Type: multipart/mixed; boundary=\"bidi\"\n"
     b"\n"
     b"--bidi\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n" +
     "An override in the text: \u202eabc\u202c.\nRight-to-left letters are fine: مرحبا שלום\n"
     .encode("utf-8") +
     b"--bidi\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(BIDI_ATT).encode() +
     b"--bidi--\n",
     shown("Your invoice <U+202E>fdp.exe", from_="Bank <U+202E>knab<U+202C> <phish@example.org>",
           to="<U+2066>Bob<U+2069> <bob@example.org>") +
     "An override in the text: <U+202E>abc<U+202C>.\n"
     "Right-to-left letters are fine: مرحبا שלום\n"
     "\n" +
     attachment_list(("2", "invoice<U+202E>fdp.exe", "application/octet-stream", len(BIDI_ATT))))


# ---- 49-52: degenerate messages and limits ----

case("49-empty", b"", "\n")

case("50-headers-only",
     b"From: Ada Lovelace <ada@example.org>\n"
     b"Subject: Headers only, no body\n",
     shown("Headers only, no body", to=None, date=None)[:-1])

DEPTH = 110
deep = std_headers("110 levels of nesting", 51)
deep += b"Content-Type: multipart/mixed; boundary=\"d1\"\n\n"
deep += b"--d1\nContent-Type: text/plain\n\nTop-level text survives.\n"
deep += b"--d1\nContent-Type: multipart/mixed; boundary=\"d2\"\n\n"
for level in range(2, DEPTH):
    deep += b"--d%d\nContent-Type: multipart/mixed; boundary=\"d%d\"\n\n" % (level, level + 1)
deep += b"--d%d\nContent-Type: text/plain\n\nToo deep to be shown.\n" % DEPTH
for level in range(DEPTH, 0, -1):
    deep += b"--d%d--\n" % level
# Depths: the message (d1) is 0, d2 is 1, ..., d110 is 109, the innermost
# text 110.  d102, at depth 101, is the first part too deep: it is left out
# whole, unparsed, and counts as one part not shown.
case("51-deep-nesting", deep,
     shown("110 levels of nesting") +
     "Top-level text survives.\n"
     "\n"
     "[-- Cut: nesting deeper than 100 levels; 1 part not shown --]\n")

PARTS = 10050
PART_LIMIT = 10000      # parts below the top-level one
many = std_headers("10,050 tiny parts", 52)
many += b"Content-Type: multipart/mixed; boundary=p\n\n"
for n in range(1, PARTS + 1):
    many += b"--p\n\npart %d\n" % n
many += b"--p--\n"
expected = shown("10,050 tiny parts") + "part 1\n"
for n in range(2, PART_LIMIT + 1):
    expected += "\n" + part_sep("%d" % n, "text/plain") + "part %d\n" % n
expected += "\n[-- Cut: more than %d parts; %d parts not shown --]\n" % (
    PART_LIMIT, PARTS - PART_LIMIT)
case("52-many-parts", many, expected)


# ---- 53-60: line ends, folding, simple layouts ----

CRLF_B64 = "Decoded text with CRLF line ends.\r\nSecond line.\r\n".encode("utf-8")
crlf = (b"from: Ada Lovelace <ada@example.org>\n"
        b"TO: Bob <bob@example.org>\n"
        b"date: " + DATE.encode() + b"\n"
        b"subject: CRLF line ends throughout\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"crlf\"\n"
        b"\n"
        b"--crlf\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: quoted-printable\n"
        b"\n"
        b"Quoted-printable with a soft=\n"
        b" break and caf=C3=A9.\n"
        b"--crlf\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: base64\n"
        b"\n" + b64(CRLF_B64).encode() +
        b"--crlf\n"
        b"Content-Type: application/octet-stream\n"
        b"Content-Disposition: attachment; filename=\"data.bin\"\n"
        b"Content-Transfer-Encoding: base64\n"
        b"\n" + b64(BIN).encode() +
        b"--crlf--\n").replace(b"\n", b"\r\n")
case("53-crlf", crlf,
     shown("CRLF line ends throughout") +
     "Quoted-printable with a soft break and café.\n"
     "\n" +
     part_sep("2", "text/plain") +
     "Decoded text with CRLF line ends.\n"
     "Second line.\n"
     "\n" +
     attachment_list(("3", "data.bin", "application/octet-stream", len(BIN))))

case("54-folded-headers",
     b"From: Ada Lovelace\n"
     b" <ada@example.org>\n"
     b"To: Bob <bob@example.org>,\n"
     b"\tCarol <carol@example.org>\n"
     b"Date: " + DATE.encode() + b"\n"
     b"Subject: This subject was\n"
     b" folded over\n"
     b"\tthree lines and =?UTF-8?Q?encoded?=\n"
     b"\t=?UTF-8?Q?_words?=\n"
     b"MIME-Version: 1.0\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Folded headers are unfolded.\n",
     shown("This subject was folded over three lines and encoded words",
           to="Bob <bob@example.org>, Carol <carol@example.org>") +
     "Folded headers are unfolded.\n")

case("55-attachment-only",
     std_headers("Only an attachment", 55) +
     b"Content-Type: application/pdf; name=\"manual.pdf\"\n"
     b"Content-Disposition: attachment; filename=\"manual.pdf\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(PDF).encode(),
     shown("Only an attachment") +
     attachment_list(("1", "manual.pdf", "application/pdf", len(PDF))))

CSV = b"name;amount\ncoffee;800\n"
case("56-inline-parts",
     std_headers("Inline text parts and attachments", 56) +
     b"Content-Type: multipart/mixed; boundary=\"b56\"\n"
     b"\n"
     b"--b56\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"\n"
     b"Main text.\n"
     b"--b56\n"
     b"Content-Type: text/plain; charset=utf-8\n"
     b"Content-Disposition: inline; filename=\"notes.txt\"\n"
     b"\n"
     b"Notes, shown inline.\n"
     b"--b56\n"
     b"Content-Type: image/png\n"
     b"Content-Disposition: attachment; filename=\"dot.png\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(PNG).encode() +
     b"--b56\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"A postscript without a name.\n"
     b"--b56\n"
     b"Content-Type: text/csv; charset=utf-8\n"
     b"Content-Disposition: attachment; filename=\"data.csv\"\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(CSV).encode() +
     b"--b56--\n",
     shown("Inline text parts and attachments") +
     "Main text.\n"
     "\n" +
     part_sep("2", "text/plain", "notes.txt") +
     "Notes, shown inline.\n"
     "\n" +
     part_sep("4", "text/plain") +
     "A postscript without a name.\n"
     "\n" +
     attachment_list(("3", "dot.png", "image/png", len(PNG)),
                     ("5", "data.csv", "text/csv", len(CSV))))

case("57-no-mime-utf8",
     std_headers("No MIME headers, UTF-8 body", 57, mime=False) +
     b"\n" + "Ünïcödé without any MIME header: valid UTF-8 is shown as UTF-8.\n".encode("utf-8"),
     shown("No MIME headers, UTF-8 body") +
     "Ünïcödé without any MIME header: valid UTF-8 is shown as UTF-8.\n")

case("58-no-mime-latin1",
     std_headers("No MIME headers, 8-bit body", 58, mime=False) +
     b"\n"
     b"Caf\xe9 \x80 5: not UTF-8, so the assumed charset (windows-1252) applies.\n",
     shown("No MIME headers, 8-bit body") +
     "Café € 5: not UTF-8, so the assumed charset (windows-1252) applies.\n")

case("59-no-final-newline",
     std_headers("No newline at the end", 59) +
     b"Content-Type: text/plain\n"
     b"\n"
     b"First line.\n"
     b"The last line has no newline.",
     shown("No newline at the end") +
     "First line.\n"
     "The last line has no newline.\n")

HTML_LATIN1 = "<html><body><h1>Caf&eacute;</h1><p>Men\xfc: 5 &euro; &ndash; gro\xdf.</p></body></html>\n"
case("60-html-latin1-quoted-printable",
     std_headers("HTML in ISO-8859-1, quoted-printable", 60) +
     b"Content-Type: text/html; charset=iso-8859-1\n"
     b"Content-Transfer-Encoding: quoted-printable\n"
     b"\n" + qp(HTML_LATIN1.encode("latin-1")).encode("ascii"),
     shown("HTML in ISO-8859-1, quoted-printable") +
     "Café\n"
     "\n"
     "Menü: 5 € – groß.\n")



# ---- 61-66: boundaries, injection, limits for forwarded messages ----

case("61-boundary-prefix",
     std_headers("Boundaries that are prefixes of each other", 61) +
     b"Content-Type: multipart/mixed; boundary=\"b\"\n"
     b"\n"
     b"--b\n"
     b"Content-Type: multipart/alternative; boundary=\"b1\"\n"
     b"\n"
     b"--b1\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"Inner plain text.\n"
     b"--b1\n"
     b"Content-Type: text/html\n"
     b"\n"
     b"<p>Inner HTML.</p>\n"
     b"--b1--\n"
     b"--b  \n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"The boundary line above has trailing blanks.\n"
     b"Not a boundary: --b in the middle of a line.\n"
     b"--bx is not a boundary either.\n"
     b"--b--\n",
     shown("Boundaries that are prefixes of each other") +
     "Inner plain text.\n"
     "\n" +
     part_sep("2", "text/plain") +
     "The boundary line above has trailing blanks.\n"
     "Not a boundary: --b in the middle of a line.\n"
     "--bx is not a boundary either.\n")

case("62-header-line-injection",
     std_headers("=?UTF-8?Q?Hello=0D=0AFrom:_boss@example.org?=", 62,
                 from_="=?UTF-8?B?QWRhDQpUbzogZXZlcnlvbmVAZXhhbXBsZS5vcmc=?= <ada@example.org>") +
     b"Content-Type: text/plain\n"
     b"\n"
     b"Line breaks decoded from a header stay visible and on one line.\n",
     shown("Hello^M^JFrom: boss@example.org",
           from_="\"Ada^M^JTo: everyone@example.org\" <ada@example.org>") +
     "Line breaks decoded from a header stay visible and on one line.\n")

NUL_ATT = b"%PDF-1.4 pretend\n"
case("63-nul-in-filename",
     std_headers("A NUL inside an attachment name", 63) +
     b"Content-Type: multipart/mixed; boundary=\"b63\"\n"
     b"\n"
     b"--b63\n"
     b"Content-Type: text/plain\n"
     b"\n"
     b"The name must not be cut at the NUL.\n"
     b"--b63\n"
     b"Content-Type: application/octet-stream\n"
     b"Content-Disposition: attachment; filename*=UTF-8''invoice.pdf%00.exe\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(NUL_ATT).encode() +
     b"--b63--\n",
     shown("A NUL inside an attachment name") +
     "The name must not be cut at the NUL.\n"
     "\n" +
     attachment_list(("2", "invoice.pdf\ufffd.exe", "application/octet-stream", len(NUL_ATT))))

case("64-flowed-crlf-qp",
     (std_headers("format=flowed over CRLF, with and without quoted-printable", 64) +
      b"Content-Type: multipart/mixed; boundary=\"b64\"\n"
      b"\n"
      b"--b64\n"
      b"Content-Type: text/plain; charset=utf-8; format=flowed\n"
      b"Content-Transfer-Encoding: quoted-printable\n"
      b"\n"
      b"This is flowed =\n"
      b"over CRLF=20\n"
      b"and QP=20\n"
      b"ends here.\n"
      b"--b64\n"
      b"Content-Type: text/plain; charset=utf-8; format=flowed\n"
      b"Content-Transfer-Encoding: 8bit\n"
      b"\n"
      b"Plain 8bit flowed \n"
      b"over CRLF.\n"
      b"--b64--\n").replace(b"\n", b"\r\n"),
     shown("format=flowed over CRLF, with and without quoted-printable") +
     "This is flowed over CRLF and QP ends here.\n"
     "\n" +
     part_sep("2", "text/plain") +
     "Plain 8bit flowed over CRLF.\n")

UTF16_TEXT = "UTF-16 with a byte order mark: é € 日本\n"
case("65-utf16",
     std_headers("UTF-16 body", 65) +
     b"Content-Type: text/plain; charset=utf-16\n"
     b"Content-Transfer-Encoding: base64\n"
     b"\n" + b64(UTF16_TEXT.encode("utf-16-le").join([b"\xff\xfe", b""])).encode(),
     shown("UTF-16 body") + UTF16_TEXT)

# 120 message/rfc822 parts, each the whole body of the one around it.  The
# part at depth d has the IMAP section "1" + ".1" * d and the subject
# "level 119-d"; parts down to depth 100 are shown, so a forwarded block
# opens for depths 0..99 and the message/rfc822 part at depth 100 (whose
# message would be at depth 101) is listed as an attachment instead.
FWD_LEVELS = 120
fwd = b"Subject: innermost\n\nThe innermost text is too deep to be shown.\n"
bodies = {}
for level in range(FWD_LEVELS):
    bodies[level] = fwd
    fwd = b"Subject: level %d\nContent-Type: message/rfc822\n\n" % level + fwd
expected = "Subject: level %d\n\n" % (FWD_LEVELS - 1)
for depth in range(100):
    expected += "[-- Forwarded message (%s) --]\n" % ("1" + ".1" * depth)
    expected += "Subject: level %d\n" % (FWD_LEVELS - 2 - depth)
    if depth < 99:
        expected += "\n"
expected += "[-- End of forwarded message --]\n" * 100
expected += "\n" + attachment_list(
    ("1" + ".1" * 100, "(no name)", "message/rfc822", len(bodies[FWD_LEVELS - 1 - 100])))
expected += "[-- Cut: nesting deeper than 100 levels; 1 part not shown --]\n"
case("66-deep-forwards", fwd, expected)

def main():
    names = set()
    for name, eml, expected in CASES:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(OUT_DIR, name + ".eml"), "wb") as f:
            f.write(eml)
        with open(os.path.join(OUT_DIR, name + ".out"), "wb") as f:
            f.write(expected.encode("utf-8"))
    print("%d messages written to %s" % (len(CASES), OUT_DIR))


if __name__ == "__main__":
    main()
