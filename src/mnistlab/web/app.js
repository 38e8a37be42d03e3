// The drawing page: pointer strokes on a canvas, sent as PNG to /api/predict while drawing.
"use strict";

const pad = document.getElementById("pad");
const pen = pad.getContext("2d");
const statusLine = document.getElementById("status");
let model = null;
let drawing = false;
let pending = false;
let stale = false;
let generation = 0;  // bumped by Clear: answers about an earlier drawing are dropped
let lastSent = 0;

function clearPad() {
  generation += 1;
  stale = false;
  pen.fillStyle = "white";
  pen.fillRect(0, 0, pad.width, pad.height);
  document.getElementById("prediction").textContent = "–";
  document.getElementById("bars").replaceChildren();
  for (const id of ["seen", "template-first", "template-second"]) {
    const canvas = document.getElementById(id);
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  }
  document.body.dataset.state = "empty";
  showStatus("Draw a digit with the mouse, a pen or a finger.");
}

function showStatus(text, isError = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", isError);
}

function point(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width,
          (event.clientY - box.top) * pad.height / box.height];
}

pad.addEventListener("pointerdown", (event) => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  const [x, y] = point(event);
  pen.beginPath();
  pen.moveTo(x, y);
  pen.lineTo(x + 0.1, y + 0.1);
  stroke();
});
pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  const [x, y] = point(event);
  pen.lineTo(x, y);
  stroke();
  if (Date.now() - lastSent > 150) sendCanvas();  // read it while drawing, a few times a second
});
for (const name of ["pointerup", "pointercancel"]) {
  pad.addEventListener(name, () => {
    if (!drawing) return;
    drawing = false;
    sendCanvas();
  });
}

function stroke() {
  pen.lineWidth = 18;
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.strokeStyle = "black";
  pen.stroke();
}

function sendCanvas() {
  // One request at a time; a drawing that changed meanwhile is sent again when it returns, so
  // the answer shown is always for the finished stroke.
  if (pending) { stale = true; return; }
  pending = true;
  stale = false;
  lastSent = Date.now();
  pad.toBlob((blob) => ask(blob, "image/png").finally(() => {
    pending = false;
    if (stale) sendCanvas();
  }), "image/png");
}

async function ask(body, type) {
  const asked = generation;
  const response = await fetch("/api/predict", { method: "POST", body, headers: { "Content-Type": type } });
  const answer = await response.json();
  if (asked !== generation) return;
  if (!response.ok) {
    showStatus(answer.error || `The server answered ${response.status}.`, true);
    document.body.dataset.state = "error";
    return;
  }
  show(answer);
}

function show(answer) {
  document.getElementById("prediction").textContent = answer.digit;
  const bars = document.getElementById("bars");
  bars.replaceChildren(...answer.probabilities.map((p, digit) => {
    const bar = document.createElement("div");
    bar.className = "bar" + (digit === answer.digit ? " winner" : "");
    bar.style.height = `${Math.max(1, p * 130)}px`;
    bar.title = `${digit}: ${(p * 100).toFixed(1)}%`;
    bar.dataset.digit = digit;
    bar.dataset.probability = p;
    const label = document.createElement("span");
    label.textContent = digit;
    bar.append(label);
    return bar;
  }));
  paint("seen", answer.input28, (v) => { const g = Math.round(v * 255); return [g, g, g]; });
  if (model) {
    template("template-first", "caption-first", answer.digit, "winner");
    template("template-second", "caption-second", answer.runner_up, "runner-up");
  }
  const p = answer.probabilities[answer.digit];
  showStatus(`${answer.digit} with probability ${(p * 100).toFixed(1)}%; runner-up ${answer.runner_up}.`);
  document.body.dataset.state = "answered";
}

function template(canvasId, captionId, digit, role) {
  const weights = model.templates[digit];
  const limit = model.template_limit || 1;  // saturates a few outlying weights (see report.py)
  paint(canvasId, weights, (w) => {
    const t = Math.min(1, Math.abs(w) / limit);
    return w >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
                  : [Math.round(255 * (1 - t)), Math.round(255 * (1 - t)), 255];
  });
  document.getElementById(captionId).textContent =
    `template of ${digit} (${role}), b = ${model.biases[digit].toFixed(2)}`;
}

function paint(canvasId, values, colour) {
  const canvas = document.getElementById(canvasId);
  const small = new ImageData(28, 28);
  values.forEach((v, i) => {
    const [r, g, b] = colour(v);
    small.data.set([r, g, b, 255], i * 4);
  });
  const buffer = document.createElement("canvas");
  buffer.width = buffer.height = 28;
  buffer.getContext("2d").putImageData(small, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(buffer, 0, 0, canvas.width, canvas.height);
}

document.getElementById("clear").addEventListener("click", clearPad);
document.getElementById("upload").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  fetch("/api/predict", { method: "POST", body: form }).then(async (response) => {
    const answer = await response.json();
    if (!response.ok) { showStatus(answer.error, true); document.body.dataset.state = "error"; return; }
    show(answer);
  });
  event.target.value = "";
});

async function loadFacts() {
  model = await (await fetch("/api/model")).json();
  const facts = [["test accuracy", model.test_accuracy != null ? model.test_accuracy.toFixed(4) : "unknown"],
                 ["deskewed input", model.deskew ? "yes" : "no"]];
  for (const [name, value] of Object.entries(model.config || {})) {
    if (!["data_dir", "out"].includes(name)) facts.push([name.replace(/_/g, " "), String(value)]);
  }
  if (model.result && model.result.training_seconds != null) {
    facts.push(["training time", `${model.result.training_seconds.toFixed(1)} s`]);
  }
  document.getElementById("facts-list").replaceChildren(...facts.flatMap(([name, value]) => {
    const dt = document.createElement("dt"); dt.textContent = name;
    const dd = document.createElement("dd"); dd.textContent = value;
    return [dt, dd];
  }));
  document.body.dataset.model = "loaded";
}

clearPad();
loadFacts();
