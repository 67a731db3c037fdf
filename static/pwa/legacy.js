// <script nomodule>: only a browser without ES modules runs this (plain ES5): it shows index.html's
// #old-browser sentence instead of a page stuck on "正在打开…".
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('main').hidden = true;
  document.getElementById('old-browser').hidden = false;
});
