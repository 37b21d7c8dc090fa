/// The page at `GET /`: pick or drop a photo, see its faces drawn with their scores; tiling can
/// be switched on. Plain HTML and JavaScript, nothing loaded from elsewhere. `/?demo` posts the
/// server's `--demo-image` as soon as the page loads (for browser tests and demonstrations).
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>blazeface</title>
    <style>
      body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
      #drop { border: 2px dashed #888; border-radius: 8px; padding: 1.2em; text-align: center; max-width: 40em; }
      #drop.over { background: #eef6ff; border-color: #36c; }
      canvas { display: block; margin-top: 1em; max-width: 100%; }
      #status { margin-top: .6em; font-weight: 600; }
      .error { color: #b00; }
    </style>
    </head>
    <body>
    <h1>blazeface</h1>
    <div id="drop">
      <p>Drop a photo here (JPEG, PNG or WebP), or <input type="file" id="file" accept="image/jpeg,image/png,image/webp"></p>
      <label><input type="checkbox" id="tiles"> tiling (small faces; slower)</label>
    </div>
    <div id="status">No photo yet.</div>
    <canvas id="view" width="0" height="0"></canvas>
    <script>
    "use strict";
    const drop = document.getElementById("drop"), file = document.getElementById("file");
    const tiles = document.getElementById("tiles"), status = document.getElementById("status");
    const canvas = document.getElementById("view"), ctx = canvas.getContext("2d");
    let current = null;

    function say(text, error) { status.textContent = text; status.className = error ? "error" : ""; }

    async function detect(blob) {
      current = blob;
      say("Detecting...");
      const url = "/v1/detect?name=upload" + (tiles.checked ? "&tiles=auto" : "");
      let answer;
      try {
        const response = await fetch(url, { method: "POST", body: blob });
        answer = await response.json();
        if (!response.ok) { say("Error " + response.status + ": " + answer.error.message, true); return; }
      } catch (e) { say("Request failed: " + e, true); return; }
      const bitmap = await createImageBitmap(blob, { imageOrientation: "from-image" });
      draw(bitmap, answer);
    }

    function draw(bitmap, record) {
      canvas.width = bitmap.width; canvas.height = bitmap.height;
      ctx.drawImage(bitmap, 0, 0);
      const sx = bitmap.width / record.width, sy = bitmap.height / record.height;
      const line = Math.max(2, Math.round(Math.max(bitmap.width, bitmap.height) / 300));
      ctx.lineWidth = line; ctx.font = "bold " + (6 * line + 6) + "px sans-serif";
      for (const face of record.faces) {
        const b = face.box;
        ctx.strokeStyle = "#00e676"; ctx.strokeRect(b.x * sx, b.y * sy, b.width * sx, b.height * sy);
        ctx.fillStyle = "#ff1744";
        for (const k of Object.values(face.keypoints)) { ctx.beginPath(); ctx.arc(k.x * sx, k.y * sy, line * 1.5, 0, 7); ctx.fill(); }
        const label = face.score.toFixed(2);
        ctx.fillStyle = "#00e676"; ctx.fillRect(b.x * sx, b.y * sy - 6 * line - 10, ctx.measureText(label).width + 8, 6 * line + 10);
        ctx.fillStyle = "#000"; ctx.fillText(label, b.x * sx + 4, b.y * sy - 6);
      }
      const n = record.faces.length;
      document.body.dataset.faces = String(n);
      say(n + (n === 1 ? " face" : " faces") + " in " + record.width + "x" + record.height
          + (record.faces.length ? " (scores " + record.faces.map(f => f.score.toFixed(2)).join(", ") + ")" : ""));
    }

    file.addEventListener("change", () => { if (file.files[0]) detect(file.files[0]); });
    tiles.addEventListener("change", () => { if (current) detect(current); });
    drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", e => {
      e.preventDefault(); drop.classList.remove("over");
      if (e.dataTransfer.files[0]) detect(e.dataTransfer.files[0]);
    });
    if (new URLSearchParams(location.search).has("demo")) {
      fetch("/demo-image").then(r => r.ok ? r.blob() : Promise.reject("no demo image on this server")).then(detect)
        .catch(e => say(String(e), true));
    }
    </script>
    </body>
    </html>
    """
}
