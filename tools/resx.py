#!/usr/bin/env python3
"""Writes Name.resx (French, the neutral language) and Name.en.resx from a JSON file {key: [fr, en]}.
Usage: python3 tools/resx.py path/to/Name.texts.json"""
import json, sys, os
from xml.sax.saxutils import escape

HEADER = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''

def write(path, entries):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(HEADER)
        for key, value in entries:
            f.write(f'  <data name="{escape(key, {chr(34): "&quot;"})}" xml:space="preserve"><value>{escape(value)}</value></data>\n')
        f.write('</root>\n')

source = sys.argv[1]
texts = json.load(open(source, encoding='utf-8'))
base = source[:-len('.texts.json')]
write(base + '.resx', [(k, v[0]) for k, v in sorted(texts.items())])
write(base + '.en.resx', [(k, v[1]) for k, v in sorted(texts.items())])
