// Registration form: preview the chosen photo and crop it to the passport
// ratio (35 x 45 mm) before upload. Without JavaScript the file is sent as
// chosen; the server checks and re-encodes it either way.
(function () {
  "use strict";
  var input = document.getElementById("id_photo");
  var box = document.getElementById("photo-crop");
  var image = document.getElementById("photo-crop-image");
  if (!input || !box || !image || typeof Cropper === "undefined") return;
  var form = input.form;
  var cropper = null;
  var url = null;
  var sending = false;

  input.addEventListener("change", function () {
    if (cropper) { cropper.destroy(); cropper = null; }
    if (url) { URL.revokeObjectURL(url); url = null; }
    var file = input.files && input.files[0];
    if (!file || !/^image\/(jpeg|png)$/.test(file.type)) { box.hidden = true; return; }
    url = URL.createObjectURL(file);
    image.onload = function () {
      box.hidden = false;
      cropper = new Cropper(image, {
        aspectRatio: 35 / 45,
        viewMode: 1,
        autoCropArea: 0.9,
        dragMode: "move",
        background: false,
      });
    };
    image.src = url;
  });

  // Keyboard: with the photo area focused, the arrow keys move the photo in
  // the frame and + / - zoom (Cropper.js itself answers the mouse and touch only).
  var area = document.getElementById("photo-crop-area");
  var KEYS = {
    ArrowLeft: [-10, 0], ArrowRight: [10, 0], ArrowUp: [0, -10], ArrowDown: [0, 10],
  };
  if (area) {
    area.addEventListener("keydown", function (event) {
      if (!cropper) return;
      if (KEYS[event.key]) {
        cropper.move(KEYS[event.key][0], KEYS[event.key][1]);
      } else if (event.key === "+" || event.key === "=") {
        cropper.zoom(0.1);
      } else if (event.key === "-") {
        cropper.zoom(-0.1);
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  form.addEventListener("submit", function (event) {
    if (!cropper || sending) return;
    event.preventDefault();
    var canvas = cropper.getCroppedCanvas({
      maxWidth: 1400, maxHeight: 1800, fillColor: "#fff",
      imageSmoothingQuality: "high",
    });
    canvas.toBlob(function (blob) {
      var cropped = new File([blob], "photo.jpg", { type: "image/jpeg" });
      var transfer = new DataTransfer();
      transfer.items.add(cropped);
      input.files = transfer.files;
      sending = true;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }, "image/jpeg", 0.92);
  });
})();
