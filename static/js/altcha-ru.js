// Russian strings for the ALTCHA widget (the vendored widget ships English only; i18n/all.js is 100 KB).
const ru = {
  ariaLinkLabel: "Altcha (официальный сайт)",
  enterCode: "Введите код",
  enterCodeAria: "Введите код, который слышите. Нажмите пробел для воспроизведения аудио.",
  error: "Проверка не удалась. Попробуйте ещё раз или ответьте на вопрос ниже.",
  expired: "Время проверки истекло. Отметьте ещё раз.",
  footer: "Проверка без картинок и сторонних сервисов",
  getAudioChallenge: "Получить аудиозадачу",
  label: "Я не робот",
  loading: "Загрузка...",
  reload: "Обновить",
  verify: "Проверить",
  verificationRequired: "Отметьте «Я не робот»",
  verified: "Проверено",
  verifying: "Идёт проверка...",
  waitAlert: "Идёт проверка... Пожалуйста, подождите.",
  cancel: "Отмена",
  enterCodeFromImage: "Чтобы продолжить, введите код с изображения ниже.",
};
if (globalThis.$altcha && globalThis.$altcha.i18n) {
  globalThis.$altcha.i18n.set("ru", ru);
}
