#!/usr/bin/env python3
"""check_png.py PNG - a `codecomp viz` screenshot is not blank and shows both the kept (green,
#00a000) and the evicted (red, #d00000) marks. Standard library only (zlib PNG decoding)."""
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", None
while pos < len(data):
    ln, typ = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + ln]; pos += 12 + ln
    if typ == b"IHDR":
        w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
        assert depth == 8 and ctype in (2, 6) and inter == 0, (depth, ctype, inter)
    elif typ == b"IDAT":
        idat += body
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
rows, prev, p = [], bytearray(stride), 0
for y in range(h):
    f = raw[p]; line = bytearray(raw[p + 1:p + 1 + stride]); p += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
px = {}
for r in rows:
    for x in range(0, stride, bpp):
        k = r[x:x + 3]; px[k] = px.get(k, 0) + 1
green, red = px.get(bytes((0, 160, 0)), 0), px.get(bytes((208, 0, 0)), 0)
white = px.get(bytes((255, 255, 255)), 0)
assert len(px) > 20 and white < w * h * 0.98, "blank page"
assert green > 200 and red > 200, ("marks missing", green, red)
print("png ok: %dx%d, %d colours, kept %d px, evicted %d px" % (w, h, len(px), green, red))
