# Learning-rate schedules in torch.optim.lr_scheduler, driven as the test describes each scenario:
# an SGD optimizer with lr0; for epochs 1..n, the schedules created after `at` epochs (in order),
# an optional lr set by hand, then every schedule's step(). Prints the optimizer's lr after each
# schedule is created and after each schedule's step, in order.
import json
import sys
import warnings

import torch

warnings.filterwarnings('ignore')  # 1.13 warns about chaining order; the order is the scenario's
out = []
for scenario in json.load(sys.stdin):
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=scenario['lr0'])
    schedules, lrs = [], []
    for epoch in range(1, scenario['epochs'] + 1):
        for s in scenario['schedules']:
            if s['at'] == epoch - 1:
                if s['kind'] == 'StepLR':
                    schedules.append(torch.optim.lr_scheduler.StepLR(optimizer, step_size=s['stepSize'], gamma=s['gamma']))
                else:
                    schedules.append(torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=s['tMax'], eta_min=s['etaMin']))
                lrs.append(optimizer.param_groups[0]['lr'])
        hand = scenario['hand'].get(str(epoch))
        if hand is not None:
            optimizer.param_groups[0]['lr'] = hand
        optimizer.step()
        for s in schedules:
            s.step()
            lrs.append(optimizer.param_groups[0]['lr'])
    out.append(lrs)
json.dump(out, sys.stdout)
