# The cross-entropy family computed by PyTorch (1.13, float64) for losses.test.ts: one JSON job
# {family, cases} on stdin, one answer per case on stdout: the loss output flattened ('value'), the
# gradient of its sum with respect to the predictions, by autograd ('grad'), and the size of the terms
# each gradient entry is made of ('gradScale': the test's tolerance, as they can cancel).
#
# Each family calls PyTorch's own functional (F.binary_cross_entropy, F.cross_entropy, …) with its
# own weight/pos_weight/ignore_index/label_smoothing/reduction wherever PyTorch has the option.
# What PyTorch has no option for is written out here, each mapping on its line:
#   - xent's sample weights ("leading axes are examples", DESIGN §4): the loss values times s,
#     'mean' = Σ sℓ / Σ ω (ω = s, times w_y for integer labels), 'sum_over_batch_size' = Σ sℓ / count;
#   - Keras's ε clipping of probabilities: q = clamp(p, ε, 1−ε) (gradient 0 outside, as xent's clip);
#   - binaryCrossentropy's per-example mean over the last axis (Keras);
#   - binary label smoothing y ← y(1−ε) + ε/2 (PyTorch has none for binary losses).
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def t(values, shape=None):
    """A float64 tensor of flat values, reshaped when a shape is given."""
    x = torch.tensor(values, dtype=torch.float64)
    return x if shape is None else x.reshape(shape)


def weighted(values, c):
    """xent's reductions of loss values with sample weights c['sw'] (one per leading index)."""
    s = t(c['sw']).reshape([-1] + [1] * (values.dim() - 1)).expand_as(values)
    r = c['reduction']
    if r == 'none':
        return values * s
    total = (values * s).sum()
    if r == 'sum':
        return total
    if r == 'sum_over_batch_size':
        return total / values.numel()
    return total / s.sum()  # 'mean': Σ sℓ / Σ s (class weights of these losses stay out of the divisor, as in PyTorch)


def reduce_values(values, c):
    """xent's reductions of loss values, where PyTorch has no native one (sample weights, per-example means)."""
    if c.get('sw') is not None:
        return weighted(values, c)
    r = c['reduction']
    return values if r == 'none' else values.sum() if r == 'sum' else values.mean()


def term_scale(reduce, values, terms, cdim=None):
    """max_j |∂R/∂ℓ_i(j)|·terms_j: the size of the terms gradient entry j is made of (the test's tolerance needs
    it where they can cancel). R, the reduction, is linear in the loss values ℓ; terms_j bounds those of dℓ/dz_j;
    cdim is the class dimension of `terms` when ℓ has one value per row."""
    leaf = values.detach().requires_grad_()
    (d,) = torch.autograd.grad(reduce(leaf).sum(), leaf)
    return (d.abs().unsqueeze(cdim) if cdim is not None else d.abs()).mul(terms).max().item()


def binary(c):
    """binaryCrossentropy / sigmoidCrossEntropyWithLogits: F.binary_cross_entropy(_with_logits)."""
    shape = c['shape']
    z = t(c['z'], shape).requires_grad_()
    y = t(c['y'], shape)
    ls = c['labelSmoothing']
    y = y * (1 - ls) + ls / 2  # xent's binary label smoothing (PyTorch has none here)
    weight = t(c['cw']) if c['cw'] is not None else None
    w = weight.expand_as(z) if weight is not None else torch.ones_like(z)
    per_example = c['loss'] == 'binaryCrossentropy' and len(shape) >= 2  # Keras: the mean over the last axis
    reduce = lambda e: reduce_values(e.mean(-1) if per_example else e, c)
    if c['fromLogits']:
        pw = t(c['pw']) if c['pw'] is not None else None
        loss = lambda red: F.binary_cross_entropy_with_logits(z, y, weight=weight, pos_weight=pw, reduction=red)
        # dℓ/dz = w·((1 + (pw−1)y)σ(z) − pw·y): either side's way of writing it adds terms up to w·(1 + pw·y)
        size = w * (1 + (pw if pw is not None else 1) * y)
    else:
        eps = c['epsilon']
        q = z.clamp(eps, 1 - eps)  # Keras's clipping (xent's epsilon)
        loss = lambda red: F.binary_cross_entropy(q, y, weight=w, reduction=red)
        size = w * (y / q + (1 - y) / (1 - q)).detach()  # dℓ/dq = w·(−y/q + (1−y)/(1−q))
    r = c['reduction']
    if c['sw'] is None and not per_example and r != 'sum_over_batch_size':
        out = loss(r)  # PyTorch's own reduction ('mean' divides by the count: class weights stay out, as in xent)
    else:
        out = reduce(loss('none'))
    return out, z, term_scale(reduce, loss('none'), size)


def class_first(x, axis):
    """Moves xent's class axis to PyTorch's class dimension 1 (a 1-D input is one unbatched example)."""
    return x if x.dim() == 1 else torch.movedim(x, axis, 1)


def smoothed(P, c, C):
    """xent's distribution targets: w_c·(P_c(1−ε) + ε/C), class axis at dimension 1 (or 0 for 1-D)."""
    ls = c['labelSmoothing']
    P = P * (1 - ls) + ls / C
    if c['cw'] is None:
        return P
    return P * t(c['cw']).reshape([-1] + [1] * (P.dim() - 2 if P.dim() > 1 else 0))


def softmax_terms(P, zt, cdim):
    """The terms of d/dz of −Σ_c P_c log softmax(z)_c = (ΣP)·q − P, by size: (ΣP)·q + P."""
    q = zt.detach().softmax(cdim)
    return P.sum(cdim, keepdim=True) * q + P


def categorical(c):
    """softmaxCrossEntropyWithLogits / categoricalCrossentropy / poly: F.cross_entropy with probability targets."""
    shape, axis = c['shape'], c['axis']
    z = t(c['z'], shape).requires_grad_()
    zt = class_first(z, axis)
    cdim = 1 if zt.dim() > 1 else 0
    C = zt.shape[cdim]
    P = class_first(t(c['y'], shape), axis)
    Pw = smoothed(P, c, C)
    reduce = lambda values: reduce_values(values, c)
    if c['loss'] == 'categoricalCrossentropy' and not c['fromLogits']:
        # Keras on probabilities: q = clip(p / Σp, ε, 1−ε), ℓ = −Σ_c P_c log q_c (P smoothed and weighted)
        q = (zt / zt.sum(cdim, keepdim=True)).clamp(c['epsilon'], 1 - c['epsilon'])
        values = -(Pw * q.log()).sum(cdim)
        p = zt.detach()
        terms = Pw / p + Pw.sum(cdim, keepdim=True) / p.sum(cdim, keepdim=True)  # dℓ/dp = −P/p + ΣP/Σp
        return reduce(values), z, term_scale(reduce, values, terms, cdim)
    weight = t(c['cw']) if c['cw'] is not None else None
    ce = lambda red: F.cross_entropy(zt, P, weight=weight, label_smoothing=c['labelSmoothing'], reduction=red)
    terms = softmax_terms(Pw, zt, cdim)
    if c['loss'] == 'polyCrossEntropyWithLogits':
        # Poly-1: F.cross_entropy + ε·Σ_c P_c(1 − q_c), q = softmax(z), P the smoothed, weighted targets
        q = zt.softmax(cdim)
        values = ce('none') + c['polyEpsilon'] * (Pw * (1 - q)).sum(cdim)
        # d/dz of Σ P(1 − q) = q·(Σ P q) − P·q: its terms add |ε|·(q·Σ P q + P·q)
        qd = q.detach()
        terms = terms + abs(c['polyEpsilon']) * (qd * (Pw * qd).sum(cdim, keepdim=True) + Pw * qd)
        return reduce(values), z, term_scale(reduce, values, terms, cdim)
    r = c['reduction']
    native = c['sw'] is None and r != 'sum_over_batch_size'
    out = ce(r) if native else reduce(ce('none'))  # PyTorch's 'mean' for probability targets: Σℓ / count, as xent's
    return out, z, term_scale(reduce, ce('none'), terms, cdim)


def sparse(c):
    """sparseSoftmaxCrossEntropyWithLogits / sparseCategoricalCrossentropy(fromLogits): F.cross_entropy, labels."""
    shape, axis = c['shape'], c['axis']
    z = t(c['z'], shape).requires_grad_()
    zt = class_first(z, axis)
    cdim, C = 1, zt.shape[1]
    # PyTorch's labels have the logits' shape without the class dimension (xent also takes a trailing 1)
    labels = torch.tensor(c['labels'], dtype=torch.int64).reshape([s for k, s in enumerate(zt.shape) if k != 1])
    weight = t(c['cw']) if c['cw'] is not None else None
    ignore = c['ignoreIndex'] if c['ignoreIndex'] is not None else -100
    kept = labels != ignore
    ce = lambda red: F.cross_entropy(
        zt, labels, weight=weight, ignore_index=ignore, label_smoothing=c['labelSmoothing'], reduction=red
    )
    r = c['reduction']
    s = t(c['sw']).reshape([-1] + [1] * (labels.dim() - 1)).expand(labels.shape) if c['sw'] is not None else 1.0
    w_y = weight[labels.clamp(min=0) * kept] if weight is not None else 1.0

    def reduce(values):
        """xent's reductions with sample weights: 'mean' = Σ sℓ / Σ s·w_y over the labels kept (ℓ holds w_y)."""
        if r == 'none':
            return values * s
        total = (values * s).sum()
        divisor = (s * w_y * kept).sum()
        return total if r == 'sum' else total / divisor if divisor > 0 else total * 0

    if c['sw'] is not None:
        out = reduce(ce('none'))
    elif r == 'mean' and not kept.any():
        out = ce('sum')  # every label ignored: PyTorch's 'mean' is 0/0 = NaN, xent's is 0 with zero gradients (DESIGN §4)
    else:
        out = ce(r)  # PyTorch's own reductions: 'mean' divides by Σ w_y over the labels kept
    # the targets as a distribution: P_c = w_c·((1−ε)[c = y] + ε/C), 0 in ignored rows
    hot = F.one_hot(labels.clamp(min=0) * kept, C).movedim(-1, 1).to(torch.float64)
    P = smoothed(hot, c, C) * kept.unsqueeze(1)
    return out, z, term_scale(reduce, ce('none'), softmax_terms(P, zt, cdim), cdim)


def multi_label(c):
    """multiLabelCrossEntropy: F.multilabel_soft_margin_loss."""
    z = t(c['z'], c['shape']).requires_grad_()
    y = t(c['y'], c['shape'])
    weight = t(c['cw']) if c['cw'] is not None else None
    out = F.multilabel_soft_margin_loss(z, y, weight=weight, reduction=c['reduction'])
    w = weight.expand_as(z) if weight is not None else torch.ones_like(z)
    e = F.binary_cross_entropy_with_logits(z, y, reduction='none')  # ℓ_ik; dℓ/dz = σ(z) − y, terms up to 1 + y
    return out, z, term_scale(lambda e: reduce_values(e.sum(-1) / e.shape[-1], c), e * w, w * (1 + y))


def kl(c):
    """klDivergence(P, Q) = Σ_c P_c log(P_c/Q_c), both clipped to [ε, 1] (Keras): F.kl_div(log Q, P)."""
    shape, eps = c['shape'], c['epsilon']
    q = t(c['z'], shape).requires_grad_()
    P = t(c['y'], shape).clamp(eps, 1)  # xent clips the targets too (Keras): 0·log 0 becomes ε·log(ε/Q)
    log_q = q.clamp(eps, 1).log()
    r = c['reduction']
    if r == 'none':
        return F.kl_div(log_q, P, reduction='none').sum(-1), q
    return F.kl_div(log_q, P, reduction='batchmean' if r == 'mean' else 'sum'), q  # xent's mean is per example: batchmean


def cross_entropy(c):
    """crossEntropy(P, Q) = −Σ_c P_c log Q_c with 0·log 0 = 0: torch.xlogy."""
    shape = c['shape']
    q = t(c['z'], shape).requires_grad_()
    return reduce_values(-torch.xlogy(t(c['y'], shape), q).sum(c['axis']), c), q


families = {
    'binary': binary,
    'categorical': categorical,
    'sparse': sparse,
    'multiLabel': multi_label,
    'kl': kl,
    'crossEntropy': cross_entropy,
}
job = json.load(sys.stdin)
answers = []
for case in job['cases']:
    out, leaf, *grad_scale = families[job['family']](case)
    out.sum().backward()
    answer = {'value': out.detach().flatten().tolist(), 'grad': leaf.grad.flatten().tolist()}
    answers.append({**answer, 'gradScale': grad_scale[0]} if grad_scale else answer)
json.dump(answers, sys.stdout)
