"""The oracle of the way back: xmltodict 0.13's unparse (Debian's python3-xmltodict), many values per process.

Reads JSON lines {"json": text, "opts": {...}, "records": {"root": NAME, "item": NAME|null} | null} on
stdin, writes one JSON line each: {"ok": true, "xml": text, "wellFormed": bool, "repr": bool} or
{"ok": false, "error": "..."}. `wellFormed`: expat reads the XML (a fragment inside a wrapper element), and reads each element and
attribute name that unparse was given as that one name (`<a>b>` is well-formed, but not an element "a>b"),
written or only checked (a key whose list is empty writes nothing, but Debian's unparse checks its name).
`repr`: unparse wrote Python's str() of a list, a dict or None somewhere (found by running it again
with xmltodict's _unicode refusing those). With "records", the value is a list of records written as
xmltodict writes children: the root's start, each record at depth 1 (as `item`, or under each of its
keys), the root's end — unparse({root: {item: records}}) when every record has an item.
"""
import io
import json
import sys
import xml.parsers.expat
from xml.sax.saxutils import XMLGenerator

import xmltodict

PLAIN_STR = xmltodict._unicode


class NamesSeen(XMLGenerator):
    """xmltodict's XMLGenerator, noting the element and attribute names it is given."""

    names = []

    def startElement(self, name, attrs):
        NamesSeen.names.append(('element', name))
        NamesSeen.names.extend(('attribute', a) for a in attrs.keys())
        super().startElement(name, attrs)


xmltodict.XMLGenerator = NamesSeen
VALIDATE_NAME = xmltodict._validate_name


def validate_name(value, kind):
    """xmltodict's own check of a name, noting an element's: a key whose list is empty is given to it, never written."""
    if kind == 'element':  # an attribute's is written (an xmlns prefix checked here is written as xmlns:prefix)
        NamesSeen.names.append((kind, value))
    VALIDATE_NAME(value, kind)


xmltodict._validate_name = validate_name


def is_name(kind, name):
    """Whether expat reads `name` as one element (or attribute) name."""
    seen = []
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = lambda element, attrs: seen.append(element if kind == 'element' else list(attrs))
    text = '<%s/>' % name if kind == 'element' else '<a %s=""/>' % name
    try:
        parser.Parse(text, True)
    except Exception:  # noqa: BLE001
        return False
    return seen == ([name] if kind == 'element' else [[name]])


class StrictStr(str):
    """xmltodict's _unicode (str: a type and a function to it) refusing what only Python's repr writes."""

    def __new__(cls, value=''):
        if value is None or isinstance(value, (list, dict)):
            raise TypeError('repr')
        return str.__new__(cls, value)


def unparse_records(records, root, item, opts):
    out = io.StringIO()
    handler = NamesSeen(out, 'utf-8', bool(opts.get('short_empty_elements')))
    full = opts.get('full_document', True)
    pretty = opts.get('pretty', False)
    newl = opts.get('newl', '\n')
    kwargs = {k: opts[k] for k in ('attr_prefix', 'cdata_key', 'pretty', 'newl', 'indent') if k in opts}
    if full:
        handler.startDocument()
    handler.startElement(root, {})
    children = [(item, r) for r in records] if item is not None else [kv for r in records for kv in r.items()]
    if pretty and (children or item is not None):
        handler.ignorableWhitespace(newl)
    for key, value in children:
        xmltodict._emit(key, value, handler, depth=1, **kwargs)
    handler.endElement(root)
    if full:
        handler.endDocument()
    return out.getvalue()


def unparse(request):
    value = json.loads(request['json'])
    opts = request.get('opts') or {}
    records = request.get('records')
    if records is None:
        return xmltodict.unparse(value, **opts)
    return unparse_records(value, records['root'], records.get('item'), opts)


def well_formed(text, full):
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(text if full else '<w>' + text + '</w>', True)
        return True
    except Exception:  # noqa: BLE001 - expat, or a lone surrogate that cannot be encoded
        return False


def judge(request):
    NamesSeen.names = []
    try:
        out = unparse(request)
    except Exception as error:  # noqa: BLE001 - any failure is an answer
        return {'ok': False, 'error': '%s: %s' % (type(error).__name__, error)}
    xmltodict._unicode = StrictStr
    try:
        unparse(request)
        uses_repr = False
    except TypeError as error:
        uses_repr = str(error) == 'repr'
    finally:
        xmltodict._unicode = PLAIN_STR
    full = (request.get('opts') or {}).get('full_document', True)
    names = NamesSeen.names
    good = well_formed(out, full) and all(is_name(kind, name) for kind, name in names)
    return {'ok': True, 'xml': out, 'wellFormed': good, 'repr': uses_repr}


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(judge(json.loads(line)), ensure_ascii=True) + '\n')
    sys.stdout.flush()


if __name__ == '__main__':
    main()
