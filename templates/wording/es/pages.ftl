# The fixed text of the public pages (`templates/pages/*.html`), page by page. Staff pages stay
# in English in their templates. Messages hold no markup: a link or emphasis stays in the
# template, between two messages (docs/PRODUCT.md, "Wording").
# Traducción al español (EE. UU.): trato de "usted", palabras sencillas, frases cortas.

## Every page's frame (base.html).

page-lang = es
# The language switch at the top of every public page: each language named in itself.
page-language-label = Idioma
page-language-english = English
page-language-spanish = Español
page-site-title = Registros públicos de la Ciudad de Concord
page-skip-to-content = Ir al contenido principal
page-banner = Un servicio oficial de la Ciudad de Concord, California
page-site-name = Ciudad de Concord · Solicitudes de registros públicos y de datos
page-nav-label = Principal
page-nav-how = Cómo funciona
page-nav-catalog = Catálogo de datos
page-nav-reading-room = Sala de lectura
page-nav-new = Hacer una solicitud
page-nav-find = Buscar su solicitud
page-nav-staff = Acceso del personal
page-footer-statistics = Estadísticas de registros públicos

## The home page (home.html).

page-home-title = Solicitudes de registros públicos y de datos
page-home-heading = Pida registros públicos o datos a la Ciudad de Concord
page-home-anyone = Cualquier persona puede pedir ver los registros de la Ciudad o recibir copias. También puede pedir acceso a los datos abiertos de la Ciudad y a sus API. No necesita una cuenta, y no tiene que decir por qué quiere los registros públicos.
page-home-make = Hacer una solicitud
page-home-or-browse = o { $catalog }
page-home-browse = consultar el catálogo de datos
page-home-already = ¿Ya hizo una solicitud? Ábrala con el enlace de cualquiera de nuestros correos electrónicos, o { $find } con su número de seguimiento y su correo electrónico.
page-home-find = busque su solicitud
page-home-what = Lo que puede pedir
page-home-what-records = { $kind }: documentos, correos electrónicos, informes, bitácoras, contratos, mapas y otros registros que guarda la Ciudad (Ley de Registros Públicos de California, California Public Records Act).
page-home-kind-records = Registros públicos
page-home-what-dataset = { $kind }: un conjunto de datos restringido del portal de datos abiertos de la Ciudad, o una parte de uno.
page-home-kind-dataset = Acceso a un conjunto de datos
page-home-what-api = { $kind }: una clave para una API de datos de la Ciudad, con los datos y el límite de llamadas que necesita.
page-home-kind-api = Acceso a una API
page-home-how = Cómo funciona
page-home-how-describe = Usted describe en el formulario lo que busca. Le enviamos por correo electrónico un número de seguimiento y un enlace privado para seguir su solicitud.
page-home-how-review = La Secretaría Municipal (o el responsable del conjunto de datos que usted indicó) revisa su solicitud y puede escribirle con preguntas.
page-home-how-decide = En un plazo de { $days } días calendario le decimos si vamos a entregarle los registros. Si ese día cae en fin de semana o en un día festivo de la Ciudad, el plazo termina el siguiente día hábil. En circunstancias inusuales podemos prorrogar el plazo una sola vez, hasta por 14 días, y le diremos por qué.
page-home-how-appeal = Si negamos su solicitud, le decimos por qué, bajo qué ley y quién lo decidió. Puede apelar en un plazo de { $days } días. Su apelación la estudiará una persona que no tomó la decisión.
page-home-questions = Preguntas
page-home-write = Escriba a la Secretaría Municipal a { $email } o llame al { $phone }.

## After filing (filed.html).

page-filed-title = Recibimos su solicitud
page-filed-number = Su número de seguimiento es { $number }.
page-filed-due = Le daremos nuestra determinación a más tardar el { $due }. Le enviamos por correo electrónico el mismo enlace que aparece abajo.
page-filed-link = Su enlace privado
page-filed-use = Use este enlace para seguir su solicitud, escribirnos, apelar una denegación o retirar la solicitud. No lo comparta: cualquier persona que lo tenga puede ver su solicitud y actuar sobre ella.
page-filed-lost = Todos los correos electrónicos que le enviamos sobre esta solicitud tienen un enlace como este. Si los pierde todos, { $find } con su número de seguimiento y su correo electrónico, y le enviaremos un enlace nuevo.
page-filed-follow = Seguir su solicitud
page-filed-no-email = No nos dio un correo electrónico. El enlace privado de abajo es la única manera de seguir su solicitud: no podemos enviárselo de nuevo, y nadie en la Ciudad lo puede buscar por usted.
page-filed-due-no-email = Le daremos nuestra determinación a más tardar el { $due }, en la página de su solicitud. Todas las cartas sobre su solicitud aparecen ahí, no en un correo electrónico.
page-filed-keep = Guarde el enlace en sus favoritos, cópielo en un lugar seguro o anote ahora la dirección completa.
page-filed-reading-room = Los registros que le entreguemos podrían publicarse después en la sala de lectura pública de la Ciudad, sin su nombre ni sus datos de contacto.

## Finding a request (find.html).

page-error-prefix = Error:{" "}
page-find-open = Abrir su solicitud
page-find-title = Buscar su solicitud
page-find-cannot = Este navegador no puede abrir esta solicitud. Una solicitud solo se abre con su enlace privado, para que nadie más pueda verla.
page-find-use-email = Para abrirla, use el enlace de cualquier correo electrónico que le enviamos sobre ella. Cada uno de nuestros correos tiene uno.
page-find-get-new = Recibir un enlace nuevo por correo electrónico
page-find-lost = ¿Perdió el enlace de su solicitud? Escriba el número de seguimiento y el correo electrónico que dio al hacerla, y le enviaremos un enlace nuevo.
page-find-number = Número de seguimiento
page-find-number-hint = Aparece en el asunto de nuestros correos electrónicos, por ejemplo { $example }.
page-find-email = Correo electrónico
page-find-email-hint = El que dio al hacer la solicitud.
page-find-send = Enviarme un enlace nuevo
page-find-no-longer = Si ya no usa ese correo electrónico, escríbanos a { $email } e indique su número de seguimiento.
page-find-no-longer-call = Si ya no usa ese correo electrónico, escríbanos a { $email } o llame al { $phone }, e indique su número de seguimiento.

## After asking for a new link (find_sent.html).

page-sent-title = Revise su correo electrónico
page-sent-if = Si el número de seguimiento y el correo electrónico coinciden con una solicitud, le enviamos un enlace nuevo a ese correo. Debería llegar en unos minutos.
page-sent-any-device = El enlace abre su solicitud en cualquier dispositivo. Sus enlaces anteriores siguen funcionando.
page-sent-none = Si no le llega ningún correo
page-sent-spam = Revise su carpeta de correo no deseado (spam).
page-sent-check = Revise que el número de seguimiento y el correo electrónico sean los de nuestro primer correo, y { $again }.
page-sent-try-again = vuelva a intentarlo
page-sent-contact = Comuníquese con nosotros a { $email } e indique su número de seguimiento.

## Errors (error.html, error_summary.html, field.html).

page-error-home = Ir a la página principal
page-error-summary = Hay un problema
page-field-required = (obligatorio)

## Confirming an action (confirm.html).

page-confirm-change = Volver y cambiarlo

## The API key, shown once (api_key.html).

page-key-title = Su clave de API
page-key-copy-now = Cópiela ahora y guárdela en un lugar seguro.
page-key-shown-once = La mostramos una sola vez, solo en esta página: la Ciudad no guarda ninguna copia que pueda mostrarle de nuevo.
page-key-label = Su clave (selecciónela y cópiela)
page-key-data = Datos a los que da acceso
page-key-how-often = Cuántas llamadas puede hacer
page-key-rate = Hasta { $rate } llamadas por hora
page-key-stops = Deja de funcionar
page-key-no-expiry = No vence
page-key-how = Cómo usarla
page-key-send = Envíe la clave en cada llamada a la API de datos de la Ciudad, en el encabezado { $header }, después de la palabra { $word }. Por ejemplo, con curl:
page-key-url = { $title } está en { $url }.
page-key-lose = Si la pierde
page-key-lost = No podemos mostrar esta clave de nuevo. Si la pierde, elija "{ $lost }" en { $page }: le daremos una nueva, y esta dejará de funcionar cuando usted obtenga la nueva. Si cree que otra persona podría tenerla, díganoslo ahí o escríbanos, y la desactivaremos de inmediato.
page-key-lost-choice = ¿Perdió su clave de API?
page-key-request-page = la página de su solicitud
page-key-back = Volver a su solicitud

## A dataset (dataset.html) and the catalog (datasets.html).

page-not-stated = No se indica
page-dataset-withdrawn = Este conjunto de datos ya no aparece en el catálogo de la Ciudad.
page-dataset-who = Quién puede usarlo
page-dataset-who-public = Cualquier persona: los datos son públicos.
page-dataset-who-restricted = Restringido: la Ciudad lo comparte si se lo piden, con condiciones (por ejemplo, sin datos personales).
page-dataset-who-non-public = No público: es solo para uso de la Ciudad. Si lo pide, la Ciudad puede negar la solicitud y le dará sus razones.
page-dataset-publisher = Publicado por
page-dataset-contact = Contacto
page-dataset-updated = Con qué frecuencia se actualiza
page-dataset-changed = Último cambio
page-dataset-licence = Licencia
page-dataset-conditions = Condiciones
page-dataset-fields = Campos
page-dataset-fields-link = Qué significa cada campo
page-dataset-keywords = Palabras clave
page-dataset-portal = En el portal
page-dataset-portal-link = Este conjunto de datos en el portal de datos abiertos de la Ciudad
page-dataset-downloads = Descargas y servicios
page-dataset-download-as = Descargar en { $format }
page-dataset-download = Descargar
page-dataset-ask = Pedir acceso
page-dataset-ask-text = Pida acceso a datos restringidos, a un extracto o a una clave de API.
page-dataset-goes-to-steward-in = Su solicitud va a { $name }, de { $department }, que se encarga de este conjunto de datos. Le avisamos cuando llegue y le decimos quién la atiende.
page-dataset-goes-to-steward = Su solicitud va a { $name }, que se encarga de este conjunto de datos. Le avisamos cuando llegue y le decimos quién la atiende.
page-dataset-goes-to-department = Su solicitud va al departamento de { $department }, que se encarga de este conjunto de datos. Le avisamos cuando llegue y le decimos quién la atiende.
page-dataset-goes-to-clerk = Su solicitud va a la Secretaría Municipal, que busca a la persona indicada para responderla. Le avisamos cuando llegue y le decimos quién la atiende.
page-dataset-request = Pedir acceso

page-datasets-intro = Los conjuntos de datos y las API de la Ciudad. Abra uno para ver sus detalles (con qué frecuencia se actualiza, su licencia, sus campos) y para pedir acceso a su responsable.
page-datasets-search-label = Buscar en el catálogo
page-datasets-search = Buscar
page-datasets-access = Acceso
page-datasets-any = Cualquiera
page-datasets-level-public = Público: cualquier persona puede usarlo
page-datasets-level-restricted = Restringido: se comparte si se pide
page-datasets-level-non-public = No público: solo para uso de la Ciudad
page-datasets-count = { $count ->
    [one] 1 conjunto de datos
   *[other] { $count } conjuntos de datos
}
page-datasets-public = Público
page-datasets-non-public = No público
page-datasets-updated = actualización: { $frequency }
page-pages-label = Páginas
page-previous = Página anterior
page-next = Página siguiente
page-page-of = Página { $page } de { $pages }

## The request form's pages (request_form.html, request_form.rs).

page-form-title = { $heading } – Hacer una solicitud
page-form-kind-hint = No necesita una cuenta, y no tiene que decir por qué quiere los registros públicos.
page-form-kind-records-hint = Documentos, correos electrónicos, informes, bitácoras, contratos, mapas u otros registros que guarda la Ciudad.
page-form-kind-dataset-hint = Un conjunto de datos restringido del catálogo de datos de la Ciudad, o una parte de uno.
page-form-kind-api-hint = Una clave para usar una de las API de datos de la Ciudad.
page-form-continue = Continuar
page-form-dataset = Conjunto de datos
page-form-another = Elegir otro conjunto de datos
page-form-find-dataset = Buscar el conjunto de datos
page-form-find-dataset-hint = Escriba palabras de su título y luego elíjalo de la lista.
page-form-no-dataset = Ningún conjunto de datos tiene estas palabras en su título. Pruebe con otras palabras, o puede { $catalog }.
page-form-choose-dataset = Elegir el conjunto de datos
page-form-details-use = Usamos estos datos solo para responder a esta solicitud.
page-form-change = Cambiar
page-form-now-send = Ahora envíe su solicitud
page-form-same-as = Ya envió una solicitud con esta descripción el { $when } ({ $number }). Si envía esta, hará una segunda solicitud.
page-form-same-as-follow = Si quería enviarla una sola vez, siga la primera: { $request }.
page-form-no-email = No nos dio un correo electrónico, así que no podemos escribirle. Después de que envíe la solicitud, le mostraremos su enlace privado. Es la única manera de seguir su solicitud, así que guárdelo en un lugar seguro.
page-form-will-email = Enviaremos un número de seguimiento y un enlace privado a { $email }. Revise que el correo esté bien escrito: ahí le enviaremos todos los avisos sobre su solicitud.
page-form-send = Enviar solicitud
page-form-heading-kind = ¿Qué está pidiendo?
page-form-heading-records = ¿Qué registros quiere?
page-form-heading-api = ¿A qué datos quiere acceder por API?
page-form-heading-dataset = ¿Qué conjunto de datos quiere?
page-form-heading-about = ¿Cómo podemos comunicarnos con usted?
page-form-heading-check = Revise sus respuestas antes de enviar su solicitud
page-form-optional = { $label } (opcional)
page-form-description = Describa los registros o datos que quiere
page-form-description-hint = Dé todos los detalles que pueda: tema, fechas, lugares, personas, departamentos.
page-form-fields = Campos o columnas que necesita
page-form-fields-hint = Déjelo en blanco si los necesita todos.
page-form-use = Cómo usará los datos
page-form-use-hint = Por ejemplo: un mapa público, una investigación, una aplicación. Esto ayuda al responsable a fijar las condiciones adecuadas.
page-form-format = Cómo quiere recibir los registros
page-form-format-hint = Por ejemplo: PDF, hoja de cálculo, copias en papel.
page-form-name = Su nombre
page-form-email = Su correo electrónico
page-form-email-hint = Aquí le enviamos todos los avisos sobre su solicitud, cada uno con un enlace privado a ella.
page-form-email-hint-records = Aquí le enviamos todos los avisos sobre su solicitud, cada uno con un enlace privado a ella. Puede dejarlo en blanco y quedar en el anonimato. En ese caso, el enlace privado que le mostramos después de enviarla es la única manera de seguir su solicitud.
page-form-name-hint-records = No tiene que dar su nombre para pedir registros públicos.
page-form-phone = Número de teléfono
page-form-phone-hint = Solo si quiere que podamos llamarle sobre esta solicitud.
page-form-organization = Organización
page-form-organization-hint = Si hace la solicitud en nombre de una organización, como un periódico o una empresa.
page-form-answer-kind = Lo que está pidiendo
page-form-not-given = No lo indicó
page-form-this-answer = Esta respuesta
page-form-error-kind = Seleccione lo que está pidiendo
page-form-error-description = Describa los registros o datos que quiere
page-form-error-use = Diga cómo usará los datos
page-form-error-dataset = Elija el conjunto de datos que quiere
page-form-error-dataset-unknown = Elija un conjunto de datos del catálogo de la Ciudad
page-form-error-name = Escriba su nombre
page-form-error-email = Escriba su correo electrónico
page-form-error-email-format = Escriba un correo electrónico con el formato correcto, como nombre@ejemplo.com
page-form-error-phone = Escriba un número de teléfono, como (925) 671-3000
page-form-too-many = { $minutes ->
    [one] Hace poco se enviaron muchas solicitudes desde su red. Vuelva a intentarlo en 1 minuto.
   *[other] Hace poco se enviaron muchas solicitudes desde su red. Vuelva a intentarlo en { $minutes } minutos.
}

## The tracking page (tracking.html, tracking.rs).

page-tracking-title = Solicitud { $number }
page-tracking-stages = En qué etapa está su solicitud
page-tracking-stage-done = (terminada)
page-tracking-stage-now = (actual)
page-tracking-kind = Tipo
page-tracking-received = Recibida
page-tracking-reviewer-decides-by = La revisión se decidirá a más tardar el
page-tracking-decide-by = Decidiremos a más tardar el
page-tracking-extension = Prórroga
page-tracking-extension-days = { $days ->
    [one] 1 día: { $why }
   *[other] { $days } días: { $why }
}
page-tracking-records-by = Registros disponibles a más tardar el
page-tracking-records-produced = Registros entregados
page-tracking-review-by = Puede pedir una revisión hasta el
page-tracking-handled-by = Quién la atiende
page-tracking-office-department = El departamento de { $department }, en nombre de { $office }
page-tracking-asked = Lo que usted pidió
page-tracking-fields = Campos o columnas
page-tracking-counted = Cómo calculamos sus fechas límite
page-tracking-our-decision = Nuestra decisión: { $outcome }
page-tracking-review-decision = Decisión de la revisión: { $outcome }
page-tracking-outcome-granted = concedida
page-tracking-outcome-granted-in-part = concedida en parte
page-tracking-outcome-denied = denegada
page-tracking-outcome-no-records = no se encontraron registros
page-tracking-outcome-decided = tomada
page-tracking-reasons = Nuestras razones:
page-tracking-withholding = Lo que no le entregamos y por qué:
page-tracking-exemption = Exención: { $citation }.
page-tracking-public-interest = Por qué no entregarlo sirve más al interés público que darlo a conocer: { $why }
page-tracking-withheld = No entregado:
page-tracking-legal-basis = Base legal:
page-tracking-responsible = Responsable:
page-tracking-no-part = Por qué no se puede entregar ninguna parte:
page-tracking-searched = Cómo y dónde buscamos:
page-tracking-we-can-help = Podemos ayudarle a encontrar lo que busca (Government Code section 7922.600): escríbanos abajo o llame al { $phone }.
page-tracking-key-ready = Su clave de API está lista: { $rate } llamadas por hora para { $datasets }. Se muestra una sola vez, cuando usted la obtiene.
page-tracking-key-get = Obtener su clave de API
page-tracking-new-key-ready = Usted nos dijo que perdió su clave de API. Su clave nueva está lista: { $rate } llamadas por hora para { $datasets }. Se muestra una sola vez, cuando usted la obtiene. Al obtenerla, su clave anterior se desactiva. Hasta entonces, la clave anterior sigue funcionando.
page-tracking-new-key-get = Obtener su clave de API nueva
page-tracking-key-stops = Deja de funcionar el { $on }.
page-tracking-key-asked = El { $on } usted nos dijo que perdió su clave. Le enviaremos un correo electrónico cuando la clave nueva esté lista. Su clave sigue funcionando hasta que obtenga la nueva.
page-tracking-key-lost-explain = Mostramos cada clave una sola vez, así que no podemos mostrarla de nuevo, pero podemos darle una nueva. Su clave sigue funcionando hasta que obtenga la nueva. En ese momento, se desactiva.
page-tracking-what-happened = ¿Qué pasó?
page-tracking-what-happened-hint = Por ejemplo: "La borré por error". Si cree que otra persona tiene su clave, díganoslo y la desactivaremos de inmediato.
page-tracking-ask-new-key = Pedir una clave nueva
page-tracking-records = Registros que le entregamos
page-tracking-elsewhere = (un enlace a registros que se guardan en otro lugar)
page-tracking-file = Archivo
page-tracking-technical = Detalles técnicos
page-tracking-fingerprint = Para comprobar que el archivo que descargó es el que entregamos, esta es su huella digital SHA-256: { $hash }.
page-tracking-redacted = Tachado o no entregado:
page-tracking-exemption-label = Exención:
page-tracking-timeline = Historial
page-tracking-write = Escríbanos
page-tracking-your-message = Su mensaje
page-tracking-send-message = Enviar mensaje
page-tracking-send-file = Envíenos un archivo
page-filed-file = ¿Tiene un archivo que pueda ayudar?
page-filed-file-why = Una carta que recibió, una foto de un letrero, una lista de direcciones: si un documento ayuda a describir los registros que quiere, envíelo ahora con su solicitud. También puede enviar archivos después desde la página de su solicitud.
page-tracking-file-label = Elija un archivo
page-tracking-file-hint = Por ejemplo, una carta, una foto o una hoja de cálculo que nos ayude a encontrar los registros: { $types }, de hasta { $limit }. El personal que atiende su solicitud lo verá. Se guarda con su solicitud.
page-tracking-file-message = Qué es el archivo
page-tracking-send-file-button = Enviar archivo
page-tracking-withdrawn-no-messages = Esta solicitud fue retirada, así que ya no se pueden enviar mensajes aquí. Si tiene preguntas sobre ella, escriba un correo electrónico a la Secretaría Municipal e indique el número { $number }, o haga una solicitud nueva.
page-tracking-closed-no-messages = Esta solicitud está cerrada, así que ya no se pueden enviar mensajes aquí. Si tiene preguntas sobre ella, escriba un correo electrónico a la Secretaría Municipal e indique el número { $number }, o haga una solicitud nueva.
page-tracking-ask-review = Pedir una revisión
page-tracking-review-explain = Si cree que nuestra decisión está equivocada, puede pedir a la Ciudad que la revise. La revisará una persona que no tomó la decisión y que no aparece nombrada en ella. La revisión es opcional: en su lugar, o además, puede pedir a un tribunal que ordene entregar los registros (Government Code section 7923.000 and following).
page-tracking-grounds = Por qué se debe revisar la decisión
page-tracking-withdraw = Retirar esta solicitud
page-tracking-reason = Motivo
page-tracking-withdraw-button = Retirar
page-tracking-not-taken = Este paso no se realizó

## Error pages (problem.rs).

page-problem-not-found = No se encontró la página
page-problem-not-found-text = Esa página no existe, o el enlace no es válido. Si usó el enlace privado de uno de nuestros correos electrónicos, revise que lo haya usado completo.
page-problem-forbidden = No permitido
page-problem-gone = Este enlace ya no funciona
page-problem-wait = Espere, por favor
page-problem-failed = Algo salió mal
page-problem-internal = Algo salió mal de nuestro lado. Ya quedó registrado. Vuelva a intentarlo.
page-problem-stale-form = Este formulario venció o no viene de este sitio. Regrese, vuelva a cargar la página e inténtelo de nuevo.
page-problem-stale = Otra persona cambió esta solicitud mientras usted la tenía abierta. Aquí puede ver cómo está ahora. Revísela e inténtelo de nuevo.

## The frame's links for signed-in staff (base.html); staff read English.

page-staff-nav-queue = Cola de trabajo
page-staff-nav-notices = Avisos fallidos
page-staff-nav-reports = Informes
page-staff-nav-admin = Administración
page-staff-signed-in = Sesión iniciada como { $name }
page-staff-sign-out = Cerrar sesión

## Complaints: the form (complaint_form.html, complaint_form.rs), the confirmation (filed.html),
## the tracking page (tracking.html) and the home page's section (home.html).

page-complaint-heading = Presentar una queja
page-complaint-heading-check = Revise sus respuestas antes de enviar su queja
page-complaint-title = { $heading } – Presentar una queja
page-complaint-intro = { $days ->
    [one] Cuéntenos sobre un asunto que la Ciudad debería revisar, como una acera bloqueada o una cerca sin permiso, o sobre cómo la Ciudad atendió su solicitud de registros. El departamento que usted elija lo revisará. Tratamos de cerrar su queja en un plazo de 1 día.
   *[other] Cuéntenos sobre un asunto que la Ciudad debería revisar, como una acera bloqueada o una cerca sin permiso, o sobre cómo la Ciudad atendió su solicitud de registros. El departamento que usted elija lo revisará. Tratamos de cerrar su queja en un plazo de { $days } días.
}
page-complaint-not-records = Para pedir documentos o datos que guarda la Ciudad, { $request }.
page-complaint-make-request = haga una solicitud de registros públicos
page-complaint-department = ¿A qué departamento va dirigida su queja?
page-complaint-department-hint = Elija el departamento que se encarga del asunto. Si tiene dudas, elija el más cercano: el personal pasa las quejas al departamento correcto.
page-complaint-subject = ¿De qué se trata su queja?
page-complaint-subject-hint = En pocas palabras, por ejemplo: acera bloqueada en Galindo Street.
page-complaint-description = ¿Qué pasó?
page-complaint-description-hint = Diga lo que vio o lo que salió mal, y lo que quiere que haga el departamento.
page-complaint-location = ¿Dónde pasó?
page-complaint-location-hint = Una dirección, un lugar o una página web.
page-complaint-when = ¿Cuándo pasó, o cuándo lo notó?
page-complaint-when-hint = Por ejemplo, 3 27 2026.
page-complaint-month = Mes
page-complaint-day = Día
page-complaint-year = Año
page-complaint-contact = Sus datos de contacto (opcional)
page-complaint-contact-hint = Puede dejarlos todos en blanco y quedar en el anonimato. Después de enviar su queja, le mostramos un enlace privado para seguirla.
page-complaint-contact-no-email = Si no nos da un correo electrónico, no le enviamos correos: todas las cartas sobre su queja aparecen solo en su página, con ese enlace.
page-complaint-email-hint = Aquí le enviamos todas las cartas sobre su queja, cada una con un enlace privado a ella.
page-complaint-phone-hint = Solo si quiere que el departamento pueda llamarle sobre su queja.
page-complaint-answer-department = Departamento
page-complaint-answer-subject = De qué se trata
page-complaint-answer-description = Qué pasó
page-complaint-answer-location = Dónde
page-complaint-answer-when = Cuándo pasó o se notó
page-complaint-answer-name = Nombre
page-complaint-answer-email = Correo electrónico
page-complaint-answer-phone = Número de teléfono
page-complaint-now-send = Ahora envíe su queja
page-complaint-no-email = No nos dio un correo electrónico, así que no podemos escribirle. Después de que envíe la queja, le mostraremos su enlace privado. Es la única manera de seguir su queja y leer las cartas del departamento, así que guárdelo en un lugar seguro.
page-complaint-will-email = Enviaremos un número de seguimiento y un enlace privado a { $email }. Revise que el correo esté bien escrito: ahí le enviaremos todas las cartas sobre su queja.
page-complaint-send = Enviar queja
page-complaint-noun-subject = El tema de su queja
page-complaint-noun-description = Lo que pasó
page-complaint-noun-location = El lugar donde pasó
page-complaint-noun-name = Su nombre
page-complaint-noun-email = Su correo electrónico
page-complaint-noun-phone = Su número de teléfono
page-complaint-error-department = Seleccione el departamento al que va dirigida su queja
page-complaint-error-department-unknown = Seleccione uno de los departamentos de la lista
page-complaint-error-subject = Escriba de qué se trata su queja
page-complaint-error-description = Escriba qué pasó
page-complaint-error-date-missing = { $missing ->
    [day] La fecha debe incluir el día
    [year] La fecha debe incluir el año
    [month-day] La fecha debe incluir el mes y el día
    [month-year] La fecha debe incluir el mes y el año
    [day-year] La fecha debe incluir el día y el año
   *[month] La fecha debe incluir el mes
}
page-complaint-error-date-year = El año debe tener 4 números
page-complaint-error-date-real = La fecha debe ser una fecha real
page-complaint-error-date-future = La fecha debe ser la de hoy o una fecha pasada
page-complaint-error-date-old = { $years ->
    [one] La fecha debe estar dentro del último año
   *[other] La fecha debe estar dentro de los últimos { $years } años
}
page-complaint-error-too-long = { $what } debe tener { $max } caracteres o menos

page-complaint-filed-title = Queja enviada
page-complaint-filed-due = El departamento la revisará. Tratamos de cerrarla a más tardar el { $due }, y le enviaremos un correo electrónico si hay algún cambio. Le enviamos por correo electrónico el mismo enlace que aparece abajo.
page-complaint-filed-due-no-email = El departamento la revisará. Tratamos de cerrarla a más tardar el { $due }. Todas las cartas sobre su queja aparecen en su página, no en un correo electrónico.
page-complaint-filed-no-email = No nos dio un correo electrónico. El enlace privado de abajo es la única manera de seguir su queja: no podemos enviárselo de nuevo, y nadie en la Ciudad lo puede buscar por usted.
page-complaint-filed-use = Use este enlace para seguir su queja, escribir al departamento o retirar la queja. No lo comparta: cualquier persona que lo tenga puede ver su queja y actuar sobre ella.
page-complaint-filed-lost = Todos los correos electrónicos que le enviamos sobre esta queja tienen un enlace como este. Si los pierde todos, { $find } con su número de seguimiento y su correo electrónico, y le enviaremos uno.
page-complaint-filed-find = pida un enlace nuevo
page-complaint-filed-follow = Seguir su queja
page-complaint-filed-file = ¿Tiene una foto o un archivo que pueda ayudar?
page-complaint-filed-file-why = Una foto del problema, una carta que recibió, un mapa: si un archivo ayuda a mostrar lo que pasó, envíelo ahora con su queja. También puede enviar archivos después desde la página de su queja.
page-complaint-file-hint = Por ejemplo, una foto, una carta o un mapa que muestre lo que pasó: { $types }, de hasta { $limit }. El personal que atiende su queja lo verá. Se guarda con su queja.

page-complaint-tracking-title = Queja { $number }
page-complaint-tracking-stages = En qué etapa está su queja
page-complaint-tracking-close-by = Tratamos de cerrarla a más tardar el
page-complaint-tracking-department = Departamento
page-complaint-tracking-yours = Su queja
page-complaint-tracking-counted = Cómo calculamos la fecha en que tratamos de cerrarla
page-complaint-tracking-resolved = Lo que el departamento encontró e hizo
page-complaint-tracking-referred = Enviada a otra agencia
page-complaint-tracking-referred-to = Enviamos su queja a { $agency }, que se encarga de este asunto.
page-complaint-tracking-dismissed = Por qué se cerró su queja
page-complaint-tracking-documents = Archivos que le envió el departamento
page-complaint-tracking-withdrawn-no-messages = Esta queja fue retirada, así que ya no se pueden enviar mensajes aquí. Si tiene preguntas sobre ella, escriba un correo electrónico a la Secretaría Municipal e indique el número { $number }, o presente una queja nueva.
page-complaint-tracking-closed-no-messages = Esta queja está cerrada, así que ya no se pueden enviar mensajes aquí. Si tiene preguntas sobre ella, escriba un correo electrónico a la Secretaría Municipal e indique el número { $number }, o presente una queja nueva.
page-complaint-tracking-withdraw = Retirar esta queja

page-complaint-home-who = { $days ->
    [one] ¿Hay algo que la Ciudad debería revisar, como una acera bloqueada o una obra ruidosa? ¿O no le gustó cómo atendimos su solicitud de registros? Su queja va al departamento de la Ciudad que usted elija, y su personal la revisa. Tratamos de cerrarla en un plazo de 1 día, y puede presentar su queja sin dar su nombre.
   *[other] ¿Hay algo que la Ciudad debería revisar, como una acera bloqueada o una obra ruidosa? ¿O no le gustó cómo atendimos su solicitud de registros? Su queja va al departamento de la Ciudad que usted elija, y su personal la revisa. Tratamos de cerrarla en un plazo de { $days } días, y puede presentar su queja sin dar su nombre.
}
page-complaint-home-make = Presentar una queja a un departamento de la Ciudad

## The fee for copies (docs/PRODUCT.md, "Fees"): the tracking page's section on it
## (tracking.html, fee_lines.html, fee_money.html) and the invoice and receipt to print
## (fee_document.html).

page-fee-heading = El cargo por sus copias
page-fee-estimate-label = Estimado
page-fee-estimate-standing = Estimado { $number }: { $standing }
page-fee-status-awaiting = Esperando su respuesta
page-fee-status-accepted = Aceptado
page-fee-status-declined = Rechazado: no se cobra nada
page-fee-status-waived = Condonado: no tiene que pagar nada
page-fee-status-replaced = Reemplazado por un estimado más reciente
page-fee-lines-caption = Lo que cuestan las copias (estimado { $number })
page-fee-col-what = Concepto
page-fee-col-quantity = Cantidad
page-fee-col-price = Precio
page-fee-col-amount = Monto
page-fee-col-why = Lo que permite la ley
page-fee-col-receipt = Número de recibo
page-fee-col-date = Fecha
page-fee-col-details = Detalles
page-fee-each = { $price } por unidad
page-fee-hourly = { $price } por hora
page-fee-minutes = { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
}
page-fee-rule-duplication = El costo directo de hacer la copia ({ $citation })
page-fee-rule-statutory-fee = Un cargo fijado por ley o por la lista de cargos de la Ciudad ({ $citation })
page-fee-rule-electronic-copy = El costo directo de producir la copia electrónica ({ $citation })
page-fee-rule-programming = La programación o el trabajo con datos que se necesita para producir la copia que usted pidió ({ $citation })
page-fee-basis-compilation = La ley permite este cobro porque, para producir la copia que usted pidió, hay que reunir o extraer datos, o escribir un programa.
page-fee-basis-outside-schedule = La ley permite este cobro porque, de otro modo, el registro solo se produce en fechas fijas programadas.
page-fee-total = Total
page-fee-note = Una nota de nuestra parte
page-fee-waived = Condonado
page-fee-paid = Pagado
page-fee-refunded = Reembolsado
page-fee-balance = Falta pagar
page-fee-to-pay-if-accepted = A pagar si acepta
page-fee-owed-back = Le debemos
page-fee-nothing = Nada
page-fee-money = Pagos, condonaciones y reembolsos
page-fee-kind-payment = Pago
page-fee-kind-waiver = Condonación
page-fee-kind-refund = Reembolso
page-fee-method-cash = Efectivo
page-fee-method-check = Cheque
page-fee-method-card = Tarjeta
page-fee-automatic = Es menos que el monto mínimo que cobra la Ciudad, así que se condona según su lista de cargos
page-fee-next-awaiting = Díganos abajo si acepta este estimado de { $total }.
page-fee-next-accepted = Usted aceptó este estimado. Pague { $balance }, por favor.
page-fee-next-paid = Usted aceptó este estimado, y ya está pagado por completo. Gracias.
page-fee-next-declined = Usted rechazó este estimado, así que no se cobra nada. Aun así le entregamos los registros que no requieren pago, y puede consultar los registros en persona sin costo.
page-fee-next-waived = Se condonó el cargo: no tiene que pagar nada.
page-fee-next-owed-back = Le debemos { $amount } y se lo reembolsaremos.
page-fee-decline-means = Si lo rechaza, no se cobra nada: aun así le entregamos los registros que no requieren pago, y puede consultar los registros en persona sin costo.
page-fee-paper-waits = Entregamos las copias en papel cuando estén pagadas. Los registros que enviamos por vía electrónica, y la consulta de registros en persona, nunca esperan un pago.
page-fee-how-to-pay = Cómo pagar
page-fee-quote-number = Cuando pague, indique su número de seguimiento, { $number }.
page-fee-answer = ¿Acepta este estimado?
page-fee-accept = Aceptar el estimado
page-fee-accept-hint = Pagará { $total } por sus copias.
page-fee-decline = Rechazar el estimado
page-fee-decline-hint = No se cobra nada. Aun así le entregamos los registros que no requieren pago, y puede consultar los registros sin costo.
page-fee-send-answer = Enviar su respuesta
page-fee-choose = Elija si acepta o rechaza el estimado
page-fee-answered-already = Este estimado ya tiene respuesta, o lo reemplazó uno más reciente. Esta página muestra cómo está ahora.
page-fee-no-estimate = En esta solicitud no hay ningún estimado de cargos que espere su respuesta.
page-fee-earlier = Estimados anteriores
page-fee-earlier-line = El estimado { $number } ({ $total }) se reemplazó por uno más reciente.
page-fee-print-invoice = Imprimir la factura
page-fee-print-receipt = Imprimir un recibo
page-fee-invoice = Factura
page-fee-receipt = Recibo
page-fee-document-title = { $document } de la solicitud { $number }
page-fee-back = Volver a la solicitud { $number }
page-fee-print-hint = Para imprimir esta página o guardarla como PDF, use el comando Imprimir de su navegador. Solo se imprime la parte de abajo.
page-fee-date = Fecha
page-fee-request = Solicitud
page-fee-for = Para
page-fee-no-entries = Todavía no se ha registrado ningún pago, condonación ni reembolso.
page-fee-none = No se ha calculado ningún cargo para la solicitud { $number }.

## Letters (letters.html, decision_letter.html, the tracking page's link).

page-letters-heading = Cartas
page-letters-intro = Cada correo electrónico que le enviamos sobre esta solicitud es también una carta firmada con el membrete de la Ciudad. Puede imprimir cada una o descargarla como PDF.
page-letters-link = Sus cartas sobre esta solicitud
page-letters-title = Cartas sobre la solicitud { $number }
page-letters-none = Todavía no hay cartas sobre esta solicitud.
page-letters-caption = Cartas, de la más antigua a la más reciente
page-letters-col-date = Fecha
page-letters-col-letter = Carta
page-letters-col-copies = Copias
page-letters-print = Imprimir
page-letters-pdf = Descargar PDF
page-letters-pdf-label = Descargar PDF: { $letter }
page-letters-print-label = Imprimir: { $letter }
page-letters-back = Volver a las cartas
page-letters-print-hint = Para imprimir esta carta, use el comando Imprimir de su navegador. Solo se imprime la carta.
page-letter-tracking-number = Número de seguimiento
page-letter-to = Para
page-letter-closing = Atentamente,
page-letter-page-of = Página { $page } de { $pages }
page-letter-original-link = Leer el original en inglés de esta carta (el texto con validez legal)
page-letter-original-note = Este es el original en inglés de una carta que le enviamos en otro idioma. El texto en inglés es el que tiene validez legal.
page-letter-original-note-staff = Este es el original en inglés de una carta enviada al solicitante en otro idioma. El texto en inglés es el que tiene validez legal.
page-letter-as-sent = Leer la carta tal como se la enviamos

## The reading room (reading_room.html, reading_room_item.html, the feed).

page-reading-room-title = Sala de lectura
page-reading-room-intro = Registros que la Ciudad entregó en respuesta a solicitudes de registros públicos, publicados para todos. Cada publicación dice lo que se pidió, lo que se decidió y los registros que se entregaron. Nunca publicamos los nombres ni los datos de contacto de las personas que hicieron la solicitud.
page-reading-room-search-label = Buscar en la sala de lectura
page-reading-room-search = Buscar
page-reading-room-department = Departamento
page-reading-room-year = Año de publicación
page-reading-room-outcome = Resultado
page-reading-room-any = Cualquiera
page-reading-room-granted = Concedida por completo
page-reading-room-granted-in-part = Concedida en parte
page-reading-room-count = { $count ->
    [one] 1 publicación
   *[other] { $count } publicaciones
}
page-reading-room-published-on = publicada el { $date }
page-reading-room-feed = Seguir las publicaciones nuevas (canal Atom)
page-reading-room-export = Descargar toda la sala de lectura:
page-reading-room-export-items = todas las publicaciones (CSV)
page-reading-room-export-documents = todos los documentos (CSV)
page-reading-room-export-json = todo (JSON)
page-reading-room-back = Todas las publicaciones de la sala de lectura
page-reading-room-received = Solicitud recibida
page-reading-room-decided = Decidida
page-reading-room-produced = Registros entregados
page-reading-room-published = Publicada
page-reading-room-decision = La decisión
page-reading-room-documents = Registros entregados
page-reading-room-no-documents = Los registros se entregaron en papel o se consultaron en persona: no hay archivos para descargar.
page-reading-room-withdrawn = Esta publicación se retiró de la sala de lectura.

## A step the requester took from their pages, refused (src/web/pages/public/refusals.rs).

refusal-not-now = Esto ya no se puede hacer: su solicitud avanzó desde que se abrió esta página. La página muestra en qué punto está ahora.
refusal-final = Esta decisión se tomó en la apelación y es definitiva: no se puede apelar de nuevo.
refusal-nothing-withheld = Su solicitud se aprobó por completo: no se retuvo nada, así que no hay nada que apelar.
refusal-appeal-closed = El plazo para apelar terminó el { $date }.
refusal-withdrawn = Usted retiró esta solicitud, así que ya no recibe mensajes. Para preguntar sobre ella, escriba a la Secretaría Municipal.
refusal-closed = Esta solicitud está cerrada: se decidió de forma definitiva y se entregaron sus documentos. Para preguntar sobre ella, escriba a la Secretaría Municipal o presente una nueva solicitud.
refusal-complaint-closed = Esta queja está cerrada. Escriba por correo electrónico a la Secretaría Municipal o presente una nueva queja.
refusal-messages-full = Esta solicitud llegó a su límite de { $limit } mensajes. Escriba por correo electrónico a la Secretaría Municipal.
refusal-no-key = No se ha concedido ninguna clave de API para esta solicitud.
refusal-key-not-replaceable = Puede pedir una nueva clave de API solo mientras funcione la clave que recogió, y solo una vez.
refusal-key-gone = Esta clave de API ya se recogió (se muestra una sola vez), o fue revocada o venció. Si necesita una nueva, pídala en esta página.
refusal-too-many = Envió muchos mensajes sobre esta solicitud en la última hora. Espere { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    } antes de enviar otro.
refusal-empty = Escriba algo aquí.
refusal-empty-grounds = Diga por qué se debe reconsiderar la decisión.
refusal-empty-lost-reason = Diga por qué necesita una nueva clave.
refusal-too-long = Escriba { $max } caracteres como máximo (escribió { $has }).
refusal-control-characters = Quite los caracteres de control de lo que escribió.
