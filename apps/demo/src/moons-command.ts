import { noGrad } from '@ag/core';
import { Rng, blobs, circles, moons, spirals, xor, type ClassificationDataset } from '@ag/data';
import { MLP, SGD, evaluate, fitAsync, hinge, l2Penalty, linearDecay } from '@ag/nn';
import type { DatasetName, MoonsOptions } from './args.js';
import { decisionBoundarySvg } from './decision-boundary-svg.js';
import { DivergedError, divergence } from './divergence.js';
import { formatLoss } from './format-loss.js';
import { lossCurveSvg } from './loss-curve-svg.js';
import type { RunOutput } from './run-output.js';
import { trainingPlan } from './training-plan.js';

/** Two-class data sets with ±1 labels, as the hinge loss wants them. */
function dataset(
  name: DatasetName,
  samples: number,
  noise: number,
  seed: Rng,
): ClassificationDataset {
  const common = { samples, noise, seed, labels: 'pm1' as const };
  switch (name) {
    case 'moons':
      return moons(common);
    case 'circles':
      return circles({ ...common, factor: 0.5 });
    case 'spirals':
      return spirals({ ...common, arms: 2 });
    case 'xor':
      return xor(common);
    case 'blobs':
      // scikit-learn's centre box [-10, 10] gives inputs too large for micrograd's learning
      // rate of 1 (the first steps blow up); a box the size of the moons keeps one recipe for all.
      return blobs({ ...common, centers: 2, centerBox: [-2, 2], clusterStd: 0.5 });
  }
}

/**
 * `moons` (or `classify`): micrograd's demo, an MLP trained with the hinge loss and an L2
 * penalty. Async only to load @ag/io (and protobufjs) when --save or --onnx asks for it.
 */
export async function runMoons(options: MoonsOptions, out: RunOutput): Promise<void> {
  const { samples, noise, hidden, activation, epochs, lr, alpha, seed } = options;
  // One stream per random choice: the data, the initial weights and the shuffle.
  const rng = new Rng(seed);
  const data = dataset(options.dataset, samples, noise, rng.fork());
  const sizes = [...hidden, 1];
  const model = new MLP(2, sizes, { activation, random: rng.fork().toFunction() });
  const params = model.parameters();
  const optimizer = new SGD(params, { lr });
  const { fitMode, stepsPerEpoch } = trainingPlan(options.mode, samples, options.batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const shape = `MLP(2, [${sizes.join(', ')}])`;

  out.say(
    `Classifying ${samples} points of ${options.dataset} (noise ${noise}, seed ${seed}) with ${shape}`,
  );
  out.say(
    `   ${activation} hidden layers, ${model.parameterCount} parameters; hinge loss + ${alpha}·Σp² (micrograd's demo);`,
  );
  out.say(
    `   SGD lr ${lr}·(1 − 0.9·k/${totalSteps}) at update k; ${options.mode === 'minibatch' ? `batches of ${options.batchSize}` : options.mode}, ${epochs} epochs`,
  );

  const loss = (outputs: Parameters<typeof hinge>[0], targets: number[]) =>
    hinge(outputs, targets).add(l2Penalty(params, alpha));
  const progress = out.progress(options.dataset, epochs, 'epoch');
  let result;
  try {
    // fitAsync gives the event loop a turn every 50 ms, so a Ctrl-C is handled mid-run.
    result = await fitAsync({
      yieldEveryMs: 50,
      model,
      data,
      loss,
      optimizer,
      mode: fitMode,
      epochs,
      schedule: linearDecay(lr, { steps: totalSteps }),
      shuffle: rng.fork().toFunction(),
      onEpoch: (info) => progress.update(info.epoch, info.loss),
    });
  } finally {
    progress.stop();
  }
  const { loss: finalLoss, accuracy } = evaluate({ model, data, loss });
  const summary = {
    command: 'moons',
    seed,
    dataset: options.dataset,
    samples,
    shape: sizes,
    activation,
    mode: options.mode,
    lr,
    epochs: result.epochs,
    steps: result.steps,
    finalLoss,
    accuracy,
  };
  // The loss after the last update counts too: the last step can be the one that blew up.
  const diverged = divergence([...result.history, finalLoss]);
  if (diverged !== undefined) {
    out.summary({ ...summary, diverged: true });
    throw new DivergedError(diverged);
  }
  const correct = Math.round(accuracy * samples);
  // Two losses, each named: the trained model's on the whole set, and the last epoch's, which
  // the progress lines and the chart show (a mean over the epoch's updates, each loss taken
  // before its update, so it trails the trained model by the last steps).
  const lastEpoch = result.history[result.history.length - 1] ?? Number.NaN;
  out.say(
    `   trained model: loss ${formatLoss(finalLoss)} on the ${samples} points, training accuracy ${(accuracy * 100).toFixed(1)}% (${correct}/${samples})`,
  );
  out.say(
    `   (epoch ${result.epochs}, as the progress shows it: loss ${formatLoss(lastEpoch)}, the mean over its updates, each taken before the update)`,
  );

  const score = (x: number, y: number): number =>
    noGrad(() => {
      const output = model.forward([x, y]);
      return Array.isArray(output) ? (output[0]?.data ?? 0) : (output as { data: number }).data;
    });
  // Files named after the data set, so runs on two data sets can share --out.
  out.writeFile(
    `${options.dataset}-loss.svg`,
    lossCurveSvg(result.history, {
      title: `Loss per epoch, ${shape} on ${options.dataset}`,
      yLabel: 'hinge loss + L2',
      after: finalLoss,
    }),
  );
  out.writeFile(
    `${options.dataset}-boundary.svg`,
    decisionBoundarySvg({
      points: data.x,
      labels: data.y,
      score,
      title: `Decision boundary on ${options.dataset}: ${(accuracy * 100).toFixed(1)}% right`,
    }),
  );
  if (options.save !== null || options.onnx !== null) {
    const { saveSafetensors, toOnnx, torchModuleSource } = await import('@ag/io');
    if (options.save !== null) {
      out.writeBytes(options.save, saveSafetensors(model, { dtype: 'F64' }));
      out.say(`   in PyTorch: ${torchModuleSource(model)}`);
    }
    if (options.onnx !== null) out.writeBytes(options.onnx, toOnnx(model, { dtype: 'float32' }));
  }
  out.chart('loss per epoch', result.history);
  out.summary({
    ...summary,
    diverged: false,
    history: result.history,
    parameters: { count: model.parameterCount, state: model.stateDict() },
  });
}
