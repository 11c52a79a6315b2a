# What a requester reads that is not a page template or a letter's body: the tracking page's
# timeline, stages and "what happens next", the names of states and kinds, the lines shown
# after a step, and the subjects of the letters to the requester. One file per language
# (docs/PRODUCT.md, "Plain words" and "Wording"); `src/wording.rs` reads it.
#
# Spanish (US), formal "usted".

## The tracking page's timeline: one line for each step the requester is shown.

timeline-received = Recibimos su solicitud. Le comunicaremos nuestra decisión a más tardar el { $due }.
timeline-review-started = Comenzamos a revisar su solicitud.
timeline-appeal-granted-in-part = El revisor decidió sobre su apelación: se le entregará parte de los registros, y otros se retienen.
timeline-appeal-granted = El revisor decidió sobre su apelación: se le entregarán los registros.
timeline-granted-in-part = Decidimos entregarle parte de los registros. Algunos se retienen; las razones están abajo.
timeline-granted = Decidimos entregarle los registros que pidió.
timeline-appeal-denied = El revisor decidió sobre su apelación: se mantiene la decisión de no entregarle los registros.
timeline-denied = Decidimos no entregarle los registros. Las razones están abajo.
timeline-appeal-no-records = El revisor decidió sobre su apelación: no tenemos registros que coincidan con su solicitud.
timeline-no-records = No encontramos registros que coincidan con su solicitud.
timeline-appealed = Usted pidió una revisión de nuestra decisión.
timeline-appeal-taken-up = Un revisor que no tomó la decisión comenzó a revisarla.
timeline-withdrawn = La { $kind ->
    [complaint] queja
   *[other] solicitud
} fue retirada.
timeline-duplicate = La solicitud se cerró porque repite una solicitud anterior.
timeline-complaint-received = Recibimos su queja. Nuestra meta es cerrarla a más tardar el { $due }.
timeline-investigating = El departamento comenzó a investigar su queja.
timeline-resolved = Su queja fue resuelta.
timeline-referred = Su queja fue enviada a otra agencia.
timeline-dismissed = Su queja se cerró sin tomar medidas.
timeline-rerouted = Su queja se envió a { $department }, que maneja este tipo de asuntos.
timeline-back-to-received = Su solicitud está otra vez en espera de revisión.
timeline-you-wrote = Usted nos escribió.
timeline-you-sent-file = Usted nos envió un archivo.
timeline-we-wrote = Le escribimos.
timeline-extended = Necesitamos más tiempo. Le comunicaremos nuestra decisión a más tardar el { $due }.
timeline-produced-released = Los registros se le entregaron en línea.
timeline-produced-paper = Los registros se entregaron en papel u otro medio.
timeline-produced-inspection = Los registros se pusieron a su disposición para inspeccionarlos en persona.
timeline-reopened = Vienen más registros: encontramos que faltaban algunos.
timeline-fee-estimated = Le enviamos un estimado de cargos por las copias: { $total }.
timeline-fee-waived-whole = Recibió una exención del cargo por sus copias: no tiene nada que pagar.
timeline-fee-accepted = Usted aceptó el estimado de cargos.
timeline-fee-declined = Usted rechazó el estimado de cargos: no se cobra nada.
timeline-fee-paid = Recibimos su pago de { $amount }.
timeline-fee-waived = Le dimos una exención de { $amount } de su cargo.
timeline-fee-refunded = Le reembolsamos { $amount }.
timeline-assistance = Le sugerimos registros que pueden responder a su solicitud y cómo enfocarla.
timeline-assistance-question = Le sugerimos registros que pueden responder a su solicitud, y le hicimos una pregunta sobre ella. Por favor, responda abajo.
timeline-assigned = Un miembro del personal está ahora a cargo de su solicitud.
timeline-documents-released = { $count ->
    [one] Le entregamos 1 documento.
   *[other] Le entregamos { $count } documentos.
}
timeline-downloaded = Usted descargó { $title }.
timeline-key-collected = Usted obtuvo su clave de API.
timeline-new-key-collected = Usted obtuvo su nueva clave de API; la anterior ya no funciona.
timeline-key-revoked = Su clave de API fue desactivada.
timeline-key-lost = Usted nos dijo que perdió su clave de API y pidió una nueva.
timeline-new-key-ready = Preparamos una nueva clave de API para que usted la obtenga.

## The stages of the tracking page's progress.

stage-received = Recibida
stage-under-review = En revisión
stage-decided = Decidida
stage-investigating = En investigación
stage-closed = Cerrada
stage-review-requested = Revisión solicitada
stage-reviewed = Revisada
stage-records-given = Registros entregados

## What happens next, at the top of the tracking page.

next-received = Revisaremos su solicitud y le comunicaremos nuestra decisión a más tardar el { $due }.
next-under-review = Estamos revisando su solicitud y le comunicaremos nuestra decisión a más tardar el { $due }.
next-records-given = Ya se le entregaron los registros. Si falta algo, escríbanos abajo.
next-records-by = Pondremos los registros a su disposición a más tardar el { $by }. Le enviaremos un correo electrónico cuando estén listos.
next-records-soon = Le enviaremos un correo electrónico cuando los registros estén listos.
next-final = Esta decisión es final: se tomó en una revisión. Aún puede escribirnos abajo.
next-may-appeal = Si no está de acuerdo, puede pedir que una persona que no participó en la decisión la revise. Tiene hasta el { $by } para pedirlo.
next-write-to-us = Puede escribirnos abajo.
next-appealed = Un revisor que no tomó la decisión estudiará su solicitud de revisión a más tardar el { $due }.
next-appeal-under-review = Un revisor está estudiando su solicitud de revisión y decidirá a más tardar el { $due }.
next-withdrawn = Esta { $kind ->
    [complaint] queja
   *[other] solicitud
} fue retirada. No se hará nada más con ella.
next-complaint-received = El departamento estudiará su queja. Nuestra meta es cerrarla a más tardar el { $due }, y le escribiremos cuando haya algún cambio.
next-complaint-investigating = El departamento está investigando su queja. Nuestra meta es cerrarla a más tardar el { $due }.
next-complaint-resolved = Su queja está cerrada: abajo puede ver lo que el departamento encontró e hizo.
next-complaint-referred = Su queja está cerrada aquí: otra agencia maneja este asunto, y se la enviamos.
next-complaint-dismissed = Su queja se cerró sin tomar medidas; la razón está abajo. Puede presentar una nueva queja en cualquier momento.
next-duplicate = Esta solicitud pide los mismos registros que la solicitud { $original }. Por eso está cerrada, y le responderemos en { $original }. Siga { $original } con el enlace que le enviamos para esa solicitud, o búsquela con "Encontrar su solicitud".
next-awaiting-answer = Le hicimos una pregunta el { $on }. Por favor, responda escribiéndonos abajo: cuanto antes sepamos de usted, mejor podremos responder a su solicitud.

## Where a request stands, and what kind it is.

status-submitted = Recibida, en espera de revisión
status-under-review = En revisión
status-granted = Concedida
status-denied = Denegada
status-no-records = No se encontraron registros
status-appealed = Revisión solicitada, en espera de un revisor
status-administrative-review = Apelación en revisión
status-withdrawn = Retirada
status-duplicate = Cerrada: repite una solicitud anterior
status-received = Recibida
status-investigating = En investigación
status-resolved = Resuelta
status-referred = Enviada a otra agencia
status-dismissed = Cerrada sin tomar medidas

kind-public-records = Registros públicos
kind-dataset-access = Acceso a un conjunto de datos
kind-api-access = Acceso a la API
kind-complaint = Queja

## The requester's API key, in a sentence.

key-offered = Su clave de API está lista para que la obtenga.
key-active = Usted obtuvo su clave de API, y funciona.
key-revoked = Su clave de API fue desactivada y ya no funciona.
key-expired = Su clave de API venció y ya no funciona.

## The line shown once a requester's step is taken.

done-message = Se envió su mensaje.
done-file = Se envió su archivo.
done-appeal = Recibimos su solicitud de revisión. La estudiará un revisor que no participó en la decisión.
done-withdrawn = Su { $kind ->
    [complaint] queja
   *[other] solicitud
} fue retirada.
done-key-lost = Pedimos una nueva clave de API para usted. Le enviaremos un correo electrónico cuando esté lista. Su clave sigue funcionando hasta que obtenga la nueva.
done-fee-accepted = Usted aceptó el estimado de cargos. Se lo informamos al personal a cargo de su solicitud.
done-fee-declined = Usted rechazó el estimado de cargos, así que no se cobra nada. Aun así le entregamos los registros que no requieren pago.

## Withdrawing: the page that asks the requester to confirm.

withdraw-heading = ¿Seguro que quiere retirar su { $kind ->
    [complaint] queja
   *[other] solicitud
}?
withdraw-your-request = Su { $kind ->
    [complaint] queja
   *[other] solicitud
}
withdraw-your-reason = Su razón
withdraw-warning = Dejaremos de trabajar en ella y la cerraremos de forma definitiva. No se puede volver a abrir: { $kind ->
    [complaint] para quejarse de esto otra vez, tendría que presentar una nueva queja.
   *[other] para pedir estos registros otra vez, tendría que presentar una nueva solicitud.
}
withdraw-confirm = Sí, retirar mi { $kind ->
    [complaint] queja
   *[other] solicitud
}
withdraw-back = No, volver a mi { $kind ->
    [complaint] queja
   *[other] solicitud
}

## "Find your request": what is wrong with an answer.

find-tracking-number-missing = Escriba su número de seguimiento
find-tracking-number-invalid = Escriba el número de seguimiento tal como aparece en nuestros correos electrónicos, por ejemplo RR-2026-00042
find-email-missing = Escriba la dirección de correo electrónico que dio con su solicitud
find-email-invalid = Escriba una dirección de correo electrónico con el formato correcto, por ejemplo nombre@ejemplo.com
find-too-many = Hubo muchos intentos desde su red hace poco. Por favor, vuelva a intentarlo en { $minutes ->
    [one] 1 minuto
   *[other] { $minutes } minutos
}.

## The subjects of the letters to the requester (after the tracking number).

letter-kind-public-records = solicitud de registros públicos
letter-kind-complaint = queja
letter-kind-dataset-access = solicitud de acceso a un conjunto de datos
letter-kind-api-access = solicitud de acceso a la API

subject-acknowledgement = Recibimos su { $kind }
subject-accepted = Su solicitud está en revisión
subject-complaint-received = Recibimos su queja
subject-complaint-investigating = Estamos investigando su queja
subject-complaint-resolved = Su queja está resuelta
subject-complaint-referred = Su queja fue enviada a otra agencia
subject-complaint-dismissed = Su queja está cerrada
subject-extended = Necesitamos más tiempo: determinación a más tardar el { $due }
subject-granted = Su solicitud fue concedida
subject-granted-in-part = Su solicitud fue concedida en parte
subject-denied = Su solicitud fue denegada: sus opciones
subject-no-records = No encontramos registros para su solicitud
subject-appeal-received = Recibimos su apelación
subject-review-started = Su apelación está en revisión
subject-review-upheld = Apelación decidida: se confirma la decisión
subject-review-overturned = Apelación decidida: se revoca la decisión
subject-review-revised = Apelación decidida: se cambia la decisión
subject-withdrawn = Su { $kind ->
    [complaint] queja
   *[other] solicitud
} fue retirada
subject-duplicate = Su solicitud está cerrada: repite una solicitud anterior
subject-inspected = Sus registros están a su disposición para inspeccionarlos
subject-delivered = Sus registros fueron entregados
subject-reopened = Vienen más registros
subject-fee-estimate = El cargo por sus copias
subject-fee-waived-whole = Sus copias no tienen cargo
subject-fee-receipt = Su recibo
subject-fee-waived = Recibió una exención de parte de su cargo
subject-fee-refunded = Su reembolso
subject-staff-message = Un mensaje sobre su { $kind ->
    [complaint] queja
   *[other] solicitud
}
subject-new-link = Un nuevo enlace privado para su solicitud
subject-link-resent = Su enlace para seguir su solicitud
subject-api-key-revoked = Su clave de API fue revocada
subject-api-key-ready = Su nueva clave de API está lista para que la obtenga
subject-assistance = Ayuda para encontrar los registros que busca
subject-assistance-question = Una pregunta sobre su solicitud, y ayuda para encontrar los registros
subject-records-released = { $count ->
    [one] Registros que se le entregaron: 1 documento
   *[other] Registros que se le entregaron: { $count } documentos
}
