"""The oracle: xmltodict 0.13 (Debian's python3-xmltodict), judging many documents per process.

Reads JSON lines {"xml": base64, "opts": {...}, "select": [...]} on stdin and writes one JSON line
per request: {"ok": true, "doc": <xmltodict.parse(xml)>, "records": {selector: [values]}} or
{"ok": false, "error": "..."}. A record is what the whole-document conversion puts under the
element's name (DESIGN.md §2), found by the element's address in that result, in document order:
NAME selects every outermost element of that name, /a/b/c the elements at that absolute path.
"""
import base64
import collections
import json
import sys

import xmltodict


class AddressingHandler(xmltodict._DictSAXHandler):
    """xmltodict's own handler, which also notes where each selected element lands in the result."""

    def __init__(self, select, **kwargs):
        super().__init__(**kwargs)
        self.select = select
        self.open = []          # names of the open elements
        self.address = []       # (name, occurrence among same-named siblings) per open element
        self.counts = [{}]      # per open element: name -> children seen so far
        self.found = {s: [] for s in select}

    def startElement(self, full_name, attrs):
        name = self._build_name(full_name)
        counts = self.counts[-1]
        index = counts.get(name, 0)
        counts[name] = index + 1
        self.counts.append({})
        self.address.append((name, index))
        for s in self.select:
            if s.startswith('/'):
                hit = s[1:].split('/') == self.open + [name]
            else:
                hit = name == s and s not in self.open
            if hit:
                self.found[s].append(list(self.address))
        self.open.append(name)
        super().startElement(full_name, attrs)

    def endElement(self, full_name):
        super().endElement(full_name)
        self.open.pop()
        self.address.pop()
        self.counts.pop()


def resolve(doc, address):
    value = doc
    for name, index in address:
        value = value[name]
        if isinstance(value, list):
            value = value[index]
    return value


def drop_xmlns(value, key):
    """With namespaces processed, xmltodict files declarations under a '@xmlns' dict; we drop them."""
    if isinstance(value, dict):
        return {k: drop_xmlns(v, key) for k, v in value.items() if not (k == key and isinstance(v, dict))}
    if isinstance(value, list):
        return [drop_xmlns(v, key) for v in value]
    return value


def judge(request):
    xml = base64.b64decode(request['xml'])
    opts = request.get('opts') or {}
    select = request.get('select') or []
    kwargs = {}
    if 'attrPrefix' in opts:
        kwargs['attr_prefix'] = opts['attrPrefix']
    if 'textKey' in opts:
        kwargs['cdata_key'] = opts['textKey']
    if opts.get('keepSpace'):
        kwargs['strip_whitespace'] = False
    if opts.get('forceList'):
        kwargs['force_list'] = tuple(opts['forceList'])
    strip_ns = bool(opts.get('stripNs'))
    handler = AddressingHandler(select, **kwargs)
    # xmltodict.parse, with our handler in place of its own (same parser settings).
    parser = xmltodict.expat.ParserCreate(opts.get('encoding'), ':' if strip_ns else None)  # xmltodict.parse(encoding=...)
    if strip_ns:
        handler.namespaces = collections.defaultdict(lambda: None)  # every namespace -> no prefix
    parser.ordered_attributes = True
    parser.StartNamespaceDeclHandler = handler.startNamespaceDecl
    parser.StartElementHandler = handler.startElement
    parser.EndElementHandler = handler.endElement
    parser.CharacterDataHandler = handler.characters
    parser.buffer_text = True
    parser.DefaultHandler = lambda x: None
    parser.ExternalEntityRefHandler = lambda *x: 1
    try:
        parser.Parse(xml, True)
    except Exception as error:  # noqa: BLE001 - any failure is an answer
        return {'ok': False, 'error': '%s: %s' % (type(error).__name__, error)}
    doc = handler.item
    records = {s: [resolve(doc, a) for a in handler.found[s]] for s in select}
    if strip_ns:
        key = kwargs.get('attr_prefix', '@') + 'xmlns'
        doc = drop_xmlns(doc, key)
        records = drop_xmlns(records, key)
    return {'ok': True, 'doc': doc, 'records': records}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(judge(json.loads(line)), ensure_ascii=True) + '\n')
    out.flush()


if __name__ == '__main__':
    main()
