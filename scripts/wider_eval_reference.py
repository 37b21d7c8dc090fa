#!/usr/bin/env python3
"""Independent reference for the Evaluation module's tests (NOT run by the tests).

Generates the deterministic synthetic prediction set that the Swift test
`SyntheticReferenceTests` regenerates (same SplitMix64 stream, same rules), then computes:

* the official WIDER FACE easy/medium/hard AP, following the logic of the MATLAB eval_tools
  (read_pred.m sorts each image's boxes by descending score, stably) and of the widely used
  Python port (WiderFace-Evaluation `evaluation.py`: image_eval, img_pr_info, dataset_pr_info,
  voc_ap), with ground truth read by scipy.io.loadmat from the official .mat files and
  restricted to the images listed in wider_face_val_bbx_gt.txt;
* ST's AP@0.5 (stm32ai-modelzoo `calculate_objdet_metrics`): frame 128x128, tf.round-style
  rounding, GT clipped to [0,127], padding filter, global greedy matching, float32 cumsum,
  numpy.interp at numpy.linspace(0, 1, 101), numpy.trapz.

Usage:  python3 wider_eval_reference.py /work/shared/data/wider_face [--write-predictions DIR]
Needs numpy and scipy (e.g. a venv in /tmp). Prints the figures hard-coded in the Swift test.
"""
import argparse
import os
import struct
import sys

import numpy as np
from scipy.io import loadmat

MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self, n):
        return self.next() % n


SEED = 20240601


def generate(images):
    """images: list of (key, faces as list of (x, y, w, h) ints), sorted by key.
    Returns {key: list of (x, y, w, h, score)}; images without a file are absent."""
    rng = SplitMix64(SEED)
    preds = {}
    for key, faces in images:
        r = rng.uniform(100)
        if r < 4:
            continue
        boxes = []
        if r < 6:
            preds[key] = boxes
            continue
        for (x, y, w, h) in faces:
            if rng.uniform(100) < 25:
                continue
            sx = w // 10 + 1
            sy = h // 10 + 1
            dx = rng.uniform(2 * sx + 1) - sx
            dy = rng.uniform(2 * sy + 1) - sy
            dw = rng.uniform(2 * sx + 1) - sx
            dh = rng.uniform(2 * sy + 1) - sy
            bw = max(1, w + dw)
            bh = max(1, h + dh)
            k = 3000 + rng.uniform(7000)
            boxes.append((x + dx, y + dy, bw, bh, k / 10000))
            if rng.uniform(100) < 15:
                k2 = max(1, k - rng.uniform(2000))
                boxes.append((x + dx + 1, y + dy, bw, bh, k2 / 10000))
        for _ in range(rng.uniform(4)):
            fx = rng.uniform(1000)
            fy = rng.uniform(800)
            fw = 8 + rng.uniform(80)
            fh = 8 + rng.uniform(80)
            k = 1 + rng.uniform(6000)
            boxes.append((fx, fy, fw, fh, k / 10000))
        preds[key] = boxes
    return preds


# ---------------------------------------------------------------- ground truth

def load_mat_gt(gt_dir, keep_keys):
    face = loadmat(os.path.join(gt_dir, 'wider_face_val.mat'))
    settings = {}
    for s in ('easy', 'medium', 'hard'):
        settings[s] = loadmat(os.path.join(gt_dir, 'wider_%s_val.mat' % s))['gt_list']
    images = []  # (key, boxes ndarray k x 4, {setting: keep indices})
    for i in range(face['event_list'].shape[0]):
        event = str(face['event_list'][i][0][0])
        files = face['file_list'][i][0]
        boxes = face['face_bbx_list'][i][0]
        for j in range(len(files)):
            key = event + '/' + str(files[j][0][0])
            if key not in keep_keys:
                continue
            keep = {s: settings[s][i][0][j][0].astype('int64').ravel() for s in settings}
            images.append((key, boxes[j][0].astype('float64'), keep))
    images.sort(key=lambda t: t[0])
    return images


def keys_of_txt(path):
    keys = set()
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.endswith('.jpg'):
                keys.add(line[:-4])
    return keys


# ---------------------------------------------------------------- official WIDER

def overlaps(pred, gt):
    """pred: n x 4 and gt: k x 4 in x1 y1 x2 y2 (x2 = x + w); +1 pixel convention."""
    out = np.zeros((pred.shape[0], gt.shape[0]))
    for a in range(pred.shape[0]):
        for b in range(gt.shape[0]):
            iw = min(pred[a, 2], gt[b, 2]) - max(pred[a, 0], gt[b, 0]) + 1
            if iw <= 0:
                continue
            ih = min(pred[a, 3], gt[b, 3]) - max(pred[a, 1], gt[b, 1]) + 1
            if ih <= 0:
                continue
            pa = (pred[a, 2] - pred[a, 0] + 1) * (pred[a, 3] - pred[a, 1] + 1)
            ga = (gt[b, 2] - gt[b, 0] + 1) * (gt[b, 3] - gt[b, 1] + 1)
            out[a, b] = iw * ih / (pa + ga - iw * ih)
    return out


def image_eval(pred, gt, ignore, thr):
    p = pred.copy()
    g = gt.copy()
    p[:, 2] += p[:, 0]
    p[:, 3] += p[:, 1]
    g[:, 2] += g[:, 0]
    g[:, 3] += g[:, 1]
    ov = overlaps(p[:, :4], g)
    recall_list = np.zeros(g.shape[0])
    proposal_list = np.ones(p.shape[0])
    pred_recall = np.zeros(p.shape[0])
    for h in range(p.shape[0]):
        idx = int(ov[h].argmax())
        if ov[h, idx] >= thr:
            if ignore[idx] == 0:
                recall_list[idx] = -1
                proposal_list[h] = -1
            elif recall_list[idx] == 0:
                recall_list[idx] = 1
        pred_recall[h] = np.sum(recall_list == 1)
    return pred_recall, proposal_list


def img_pr_info(n_thr, pred, proposal_list, pred_recall):
    info = np.zeros((n_thr, 2))
    for t in range(n_thr):
        thresh = 1 - (t + 1) / n_thr
        idx = np.where(pred[:, 4] >= thresh)[0]
        if len(idx) == 0:
            continue
        r = idx[-1]
        info[t, 0] = np.sum(proposal_list[:r + 1] == 1)
        info[t, 1] = pred_recall[r]
    return info


def voc_ap(rec, prec):
    mrec = np.concatenate(([0.], rec, [1.]))
    mpre = np.concatenate(([0.], prec, [0.]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])


def wider_official(images, preds, n_thr=1000, thr=0.5):
    arrays = {}
    for key, _, _ in images:
        if key in preds and len(preds[key]) > 0:
            arr = np.array(preds[key], dtype='float64')
            order = np.argsort(-arr[:, 4], kind='stable')   # read_pred.m: sort descend (stable)
            arrays[key] = arr[order]
    lo = min(float(a[:, 4].min()) for a in arrays.values())
    hi = max(float(a[:, 4].max()) for a in arrays.values())
    for a in arrays.values():
        a[:, 4] = (a[:, 4] - lo) / (hi - lo)
    aps = {}
    for s in ('easy', 'medium', 'hard'):
        curve = np.zeros((n_thr, 2))
        count_face = 0
        for key, gt, keep in images:
            count_face += len(keep[s])
            pred = arrays.get(key)
            if len(gt) == 0 or pred is None:
                continue
            ignore = np.zeros(gt.shape[0])
            if len(keep[s]):
                ignore[keep[s] - 1] = 1
            pred_recall, proposal_list = image_eval(pred, gt, ignore, thr)
            curve += img_pr_info(n_thr, pred, proposal_list, pred_recall)
        with np.errstate(invalid='ignore', divide='ignore'):
            precision = curve[:, 1] / curve[:, 0]
        recall = curve[:, 1] / count_face
        aps[s] = (voc_ap(recall, precision), count_face)
    return aps


# ---------------------------------------------------------------- ST AP@0.5

def jpeg_size(path):
    with open(path, 'rb') as f:
        data = f.read()
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack('>H', data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack('>HH', data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise ValueError('no SOF in ' + path)


def st_iou(a, b):
    if a[0] > b[2] or a[2] < b[0]:
        return 0.
    if a[1] > b[3] or a[3] < b[1]:
        return 0.
    ix = min(a[2], b[2]) - max(a[0], b[0]) + 1
    iy = min(a[3], b[3]) - max(a[1], b[1]) + 1
    inter = max(ix, 0.) * max(iy, 0.)
    ua = (a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - inter
    return inter / ua if ua > 0. else 0.


def st_ap(images, preds, sizes, S=128, thr=0.5):
    gts = {}
    dets = []
    for n, (key, gt, _) in enumerate(images):
        W, H = sizes[key]
        boxes = []
        for (x, y, w, h) in gt:
            b = [np.round(x / W * S), np.round(y / H * S), np.round((x + w) / W * S), np.round((y + h) / H * S)]
            b = [min(max(b[0], 0), S - 1), min(max(b[1], 0), S - 1), min(max(b[2], 0), S - 1), min(max(b[3], 0), S - 1)]
            if sum(b) > 0:
                boxes.append(b)
        gts[n] = boxes
        for (x, y, w, h, score) in preds.get(key, []):
            b = [np.round(x / W * S), np.round(y / H * S), np.round((x + w) / W * S), np.round((y + h) / H * S)]
            if sum(b) > 0:
                dets.append((n, score, b))
    dets = sorted(dets, key=lambda d: d[1], reverse=True)
    matched = {n: [0] * len(b) for n, b in gts.items()}
    TP = np.zeros(len(dets), dtype=np.float32)
    FP = np.zeros(len(dets), dtype=np.float32)
    for i, (n, _, box) in enumerate(dets):
        best, arg = -1, 0
        for k, g in enumerate(gts[n]):
            v = st_iou(box, g)
            if v > best:
                best, arg = v, k
        if best >= thr and matched[n][arg] == 0:
            TP[i] = 1
            matched[n][arg] = 1
        else:
            FP[i] = 1
    npos = sum(len(b) for b in gts.values())
    acc_fp = np.cumsum(FP)
    acc_tp = np.cumsum(TP)
    rec = acc_tp / npos
    pre = acc_tp / (acc_fp + acc_tp)
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([1.0], pre, [0.0]))
    x = np.linspace(0, 1, 101)
    trapz = getattr(np, 'trapezoid', None) or np.trapz
    return float(trapz(np.interp(x, mrec, mpre), x)), npos, len(dets), int(TP.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('wider_root', help='folder holding WIDER_val, eval_tools_ground_truth, wider_face_split')
    ap.add_argument('--write-predictions', help='also write the synthetic set as a WIDER submission folder')
    args = ap.parse_args()
    keys = keys_of_txt(os.path.join(args.wider_root, 'wider_face_split', 'wider_face_val_bbx_gt.txt'))
    images = load_mat_gt(os.path.join(args.wider_root, 'eval_tools_ground_truth'), keys)
    plain = [(key, [tuple(int(v) for v in row) for row in gt]) for key, gt, _ in images]
    preds = generate(plain)
    if args.write_predictions:
        for key, boxes in preds.items():
            event, name = key.split('/')
            os.makedirs(os.path.join(args.write_predictions, event), exist_ok=True)
            with open(os.path.join(args.write_predictions, event, name + '.txt'), 'w') as f:
                f.write('%s\n%d\n' % (name, len(boxes)))
                for b in boxes:
                    f.write('%r %r %r %r %r\n' % tuple(float(v) for v in b))
    n_boxes = sum(len(b) for b in preds.values())
    print('images %d, images with a prediction file %d, boxes %d' % (len(images), len(preds), n_boxes))
    for s, (value, faces) in wider_official(images, preds).items():
        print('WIDER %-6s AP %r  counted faces %d' % (s, float(value), faces))
    sizes = {key: jpeg_size(os.path.join(args.wider_root, 'WIDER_val', 'images', key + '.jpg')) for key, _, _ in images}
    value, npos, ndet, tp = st_ap(images, preds, sizes)
    print('ST AP@0.5 %r  npos %d  detections %d  TP %d' % (value, npos, ndet, tp))
    print('numpy %s' % np.__version__)


if __name__ == '__main__':
    sys.exit(main())
