# The public records and complaints statistics (`/reports`, and for staff `/staff/reports`): the page
# (`templates/pages/reports.html`), the figures' sections and tables
# (`src/web/pages/reports.rs`) and the labels of their charts (`src/web/pages/charts.rs`).
# Messages hold no markup: the page puts its bold values and links in place. The CSV download
# keeps its machine words and is not translated.
#
# Spanish (US), formal "usted".

## The page and its period form.

page-reports-title = Estadísticas de registros públicos
# The same page's name for staff, who reach it from their own menu.
page-reports-staff-title = Informes
page-reports-intro = Cuántas solicitudes de registros públicos y de acceso a datos recibió la Ciudad, qué tan rápido las respondió, y con qué frecuencia dio una prórroga, negó una solicitud o le pidieron revisar una decisión. También, cuántas quejas recibió y cómo las cerró. Solo se muestran totales: no hay nombres, direcciones ni el texto de las solicitudes o quejas.
page-reports-form-label = Período del informe
page-reports-from = Desde
page-reports-to = Hasta
page-reports-date-hint = AAAA-MM-DD
page-reports-queue = Cola
page-reports-queue-optional = Cola (opcional)
page-reports-show = Mostrar
page-reports-queue-too-long = El nombre de una cola puede tener como máximo { $chars } caracteres de texto.

## The period shown, above the figures. { $period } is page-reports-period.

page-reports-received = Solicitudes recibidas del { $period }, según su estado actual.
page-reports-received-in-queue = Solicitudes recibidas del { $period } en la cola { $queue }, según su estado actual.
page-reports-period = { $from } al { $to }
page-reports-download = Descargar estas cifras (CSV)

## Dates: { $month } is the month's number, 1 to 12.

page-reports-date = { $day } de { $month ->
    [1] enero
    [2] febrero
    [3] marzo
    [4] abril
    [5] mayo
    [6] junio
    [7] julio
    [8] agosto
    [9] septiembre
    [10] octubre
    [11] noviembre
   *[12] diciembre
} de { $year }
page-reports-month = { $month ->
    [1] enero
    [2] febrero
    [3] marzo
    [4] abril
    [5] mayo
    [6] junio
    [7] julio
    [8] agosto
    [9] septiembre
    [10] octubre
    [11] noviembre
   *[12] diciembre
} de { $year }

## Each figure's table and chart.

page-reports-none = No hay ninguno en este período.
page-reports-chart = Gráfica de barras: { $title }. La tabla de al lado tiene los mismos números.
page-reports-requests = Solicitudes
page-reports-figure = Cifra
page-reports-value = Valor

## Requests received.

page-reports-by-month = Solicitudes recibidas por mes
page-reports-by-year = Solicitudes recibidas por año
page-reports-received-count = Solicitudes recibidas en el período: { $count }.
page-reports-month-heading = Mes
page-reports-year-heading = Año
page-reports-by-kind = Solicitudes recibidas por tipo
page-reports-kind = Tipo
page-reports-open = Aún abiertas, por estado
page-reports-open-intro = Solicitudes recibidas en el período que siguen abiertas hoy.
page-reports-status = Estado

## Determinations on time. { $days } is the number of calendar days the law allows.

page-reports-on-time-title = Determinaciones a tiempo
page-reports-on-time-intro = A tiempo significa que la primera determinación se tomó en la fecha límite o antes. La fecha límite es { $days } días calendario después de recibir la solicitud (o el siguiente día hábil), o la fecha de la prórroga. Los días hasta la determinación cuentan los días calendario desde el día en que se recibió una solicitud hasta el día de su determinación; los percentiles usan el método del rango más cercano. Sin determinación y ya vencidas hoy: { $overdue }.
page-reports-determined = Con determinación
page-reports-on-time = A tiempo
page-reports-late = Tarde
page-reports-share-on-time = Proporción a tiempo
page-reports-median-days = Mediana de días hasta la determinación
page-reports-ninetieth = Percentil 90, días
page-reports-overdue-today = Abiertas y vencidas hoy

## Extensions, by the reason the law allows.

page-reports-extensions = Prórrogas por motivo legal
page-reports-extensions-intro = Plazos prorrogados: { $count }.
page-reports-reason = Motivo
page-reports-extensions-heading = Prórrogas
page-reports-field-facilities = Registros en instalaciones fuera de la oficina
page-reports-voluminous-records = Gran volumen de registros
page-reports-consultation = Consulta con otra agencia o departamento
page-reports-data-compilation = Recopilar datos o escribir un programa
page-reports-state-of-emergency = Un estado de emergencia

## Records withheld.

page-reports-withholdings = Registros retenidos, por exención
page-reports-withholdings-intro = En la primera determinación: { $denied } negadas, { $partial } concedidas en parte y { $none } con la respuesta de que la Ciudad no tiene registros que correspondan. Una determinación que cita varias exenciones se cuenta una vez en cada una.
page-reports-exemption = Exención
page-reports-determinations = Determinaciones

## Records produced. { $median } and { $ninetieth } are page-reports-days or page-reports-none-yet.

page-reports-production = Registros entregados después de una concesión
page-reports-production-intro = Solicitudes concedidas: { $granted }. Días desde la concesión hasta la entrega de los registros (en línea, en papel o para inspección): mediana { $median }, percentil 90 { $ninetieth }.
page-reports-days = { $days ->
    [one] 1 día
   *[other] { $days } días
}
page-reports-none-yet = aún sin datos
page-reports-produced = Entregados
page-reports-awaiting = En espera de entrega
page-reports-reopened = Reabiertas: los registros estaban incompletos

## Appeals.

page-reports-appeals = Apelaciones y sus resultados
page-reports-appeals-intro = Decisiones apeladas: { $count }.
page-reports-outcome = Resultado
page-reports-appeals-heading = Apelaciones
page-reports-pending = Pendientes
page-reports-overturned = Revocadas: se entregó más
page-reports-upheld = Confirmadas
page-reports-revised = Cambiadas sin entregar más
page-reports-withdrawn = Retiradas después de la apelación

## The table by queue: its column headings also label each cell on a phone.

page-reports-by-queue = Por cola
page-reports-by-queue-caption = Solicitudes recibidas en el período, por cola
page-reports-queue-received = Recibidas
page-reports-queue-open = Abiertas
page-reports-queue-determined = Con determinación
page-reports-queue-on-time = A tiempo
page-reports-queue-median = Mediana de días
page-reports-queue-ninetieth = Percentil 90, días
page-reports-queue-overdue = Abiertas y vencidas
page-reports-no-requests = No hay solicitudes en este período.

## Complaints: counted apart from the requests. { $days } is the City's service target in
## calendar days.

page-reports-complaints = Quejas
page-reports-complaints-intro = Las quejas a los departamentos de la Ciudad se cuentan aquí, no en las cifras de solicitudes de arriba. Las recibidas y las aún abiertas son las quejas recibidas en el período. Las cerradas son las quejas cerradas en el período, sin importar cuándo se recibieron. Una queja no tiene plazo legal: su meta la fija la Ciudad, { $days } días calendario después de recibirla (o el siguiente día hábil).
page-reports-complaints-heading = Quejas
page-reports-complaints-received-title = Quejas recibidas y aún abiertas
page-reports-complaints-received = Recibidas en el período
page-reports-complaints-open = De ellas, aún abiertas hoy
page-reports-complaints-outcomes = Quejas cerradas, por resultado
page-reports-complaints-outcomes-intro = Quejas cerradas en el período: { $count }.
page-reports-complaints-resolved = Resueltas
page-reports-complaints-referred = Enviadas a otra agencia
page-reports-complaints-dismissed = Cerradas sin tomar medidas
page-reports-complaints-withdrawn = Retiradas por quien presentó la queja
page-reports-complaints-on-target-title = Quejas cerradas dentro de la meta
page-reports-complaints-on-target-intro = De las quejas que la Ciudad cerró en el período: resueltas, enviadas a otra agencia o cerradas sin tomar medidas, sin contar las retiradas. Dentro de la meta significa que se cerró en la fecha meta o antes. Los días hasta el cierre cuentan los días calendario desde el día en que se recibió una queja hasta el día en que se cerró; los percentiles usan el método del rango más cercano.
page-reports-complaints-closed-by-city = Cerradas por la Ciudad
page-reports-complaints-on-target = Dentro de la meta
page-reports-complaints-late = Tarde
page-reports-complaints-share-on-target = Proporción dentro de la meta
page-reports-complaints-median-days = Mediana de días hasta el cierre
page-reports-complaints-overdue-today = Recibidas en el período, abiertas y con la meta vencida hoy

## Complaints by department (staff only): its column headings also label each cell on a phone.

page-reports-complaints-by-department = Quejas por departamento
page-reports-complaints-by-department-caption = Quejas por departamento
page-reports-complaints-by-department-intro = Cada queja se cuenta en el departamento que la tiene ahora. Recibidas y abiertas: de las quejas recibidas en el período. Resueltas, enviadas, cerradas sin tomar medidas y retiradas: de las quejas cerradas en el período.
page-reports-department = Departamento
page-reports-department-resolved = Resueltas
page-reports-department-referred = Enviadas
page-reports-department-dismissed = Cerradas sin tomar medidas
page-reports-department-withdrawn = Retiradas
page-reports-no-complaints = No hay quejas en este período.

## Fees (staff only): money, in US dollars. Its tables' column headings also label each cell on
## a phone.

page-reports-fees = Cargos
page-reports-fees-intro = Los cargos por copias de registros, en dólares estadounidenses. A diferencia de las cifras de solicitudes de arriba, estas cuentan el dinero según la fecha en que se movió, sin importar cuándo se recibió la solicitud. Lo estimado es el total de los estimados de cargos emitidos en el período, sin contar un estimado que luego se reemplazó por uno nuevo. Lo cobrado, lo exento y lo reembolsado son los pagos, las exenciones (un estimado menor que el monto mínimo de la Ciudad recibe una exención total al emitirse) y los reembolsos registrados en el período. Lo cobrado neto es lo cobrado menos lo reembolsado. Los meses son los meses del calendario de la Ciudad; la cola de cada cargo es la cola de su solicitud.
page-reports-fees-totals = Cargos en el período
page-reports-fees-amount = Monto (dólares estadounidenses)
page-reports-fees-estimated = Estimado
page-reports-fees-collected = Cobrado
page-reports-fees-waived = Exento
page-reports-fees-refunded = Reembolsado
page-reports-fees-net = Cobrado neto
page-reports-fees-by-month = Cargos por mes (dólares estadounidenses)
page-reports-fees-by-year = Cargos por año (dólares estadounidenses)
page-reports-fees-by-queue = Cargos por cola (dólares estadounidenses)
page-reports-no-fees = No hay cargos en este período.
