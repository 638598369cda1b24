# One image for every part: `tailor serve control-plane|events|runtime|trainer` or `tailor up`.
FROM python:3.11-slim
WORKDIR /opt/tailor
COPY . .
RUN pip install --no-cache-dir . && useradd --create-home tailor
USER tailor
ENV TAILOR_GRPC_HOST=0.0.0.0 TAILOR_HOME=/home/tailor/.tailor
EXPOSE 50051 9464
ENTRYPOINT ["tailor"]
CMD ["up"]
